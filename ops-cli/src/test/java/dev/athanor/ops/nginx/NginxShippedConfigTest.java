package dev.athanor.ops.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.OpsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx/athanor.conf in the repository is exactly what {@code ops nginx config} renders for learn.example.com with the
 * server's paths, so the example docs/install.md points at never drifts from the code.
 */
class NginxShippedConfigTest {

    @TempDir
    Path temp;

    @Test
    void theShippedExampleIsTheRendering() throws Exception {
        Path config = new OpsConfig(temp)
                .set("site", "baseUrl", "https://learn.example.com")
                .set("server", "applicationConnectors", "[{type: http, bindHost: 127.0.0.1, port: 8080}]")
                .set("certificates", "domains", "[learn.example.com, www.learn.example.com]")
                .set("certificates", "directory", "/var/lib/athanor/certificates")
                .set("certificates", "webroot", "/var/lib/athanor/acme-webroot")
                .set("media", "directory", "/var/lib/athanor/media")
                .set("nginx", "staticRoot", "/var/lib/athanor/static")
                .set("monitoring", "nginxLogDirectory", "/var/log/nginx")
                .write();

        OpsRun rendered = OpsRun.of("nginx", "config", "--config", config.toString());

        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        assertThat(withoutHeader(rendered.out())).as("nginx/athanor.conf is stale: render it again with"
                + " `ops nginx config` (see this test for the settings)")
                .isEqualTo(withoutHeader(Files.readString(Path.of("..", "nginx", "athanor.conf"))));
        assertThat(rendered.out()).contains("server_name learn.example.com www.learn.example.com;",
                "ssl_certificate /var/lib/athanor/certificates/learn.example.com/current/fullchain.pem;",
                "server 127.0.0.1:8080 max_fails=0;", "proxy_set_header X-Country-Code \"\";",
                "listen 443 ssl http2;", "listen [::]:443 ssl http2;");
    }

    @Test
    void bodySizesAreTheSitesOwnLimits() throws Exception {
        Path config = new OpsConfig(temp)
                .set("site", "requestBodyLimit", "100KiB")
                .set("site", "uploadLimit", "3MiB")
                .set("server", "applicationConnectors", "[{type: http, bindHost: 127.0.0.1, port: 8080}]")
                .write();

        OpsRun rendered = OpsRun.of("nginx", "config", "--config", config.toString());

        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        assertThat(rendered.out()).contains("    client_max_body_size 100k;\n",
                "    location = /stripe/webhook {\n        client_max_body_size 512k;\n",
                "    location = /admin/content/upload {\n        client_max_body_size 3m;\n")
                .doesNotContain("client_max_body_size 256m");
        assertThat(rendered.out().lines().filter(line -> line.strip().startsWith("proxy_set_header")))
                .as("set once, for every location").allMatch(line -> line.startsWith("    proxy_set_header"));
    }

    private static String withoutHeader(String text) {
        return text.lines().dropWhile(line -> line.startsWith("#")).collect(Collectors.joining("\n"));
    }
}
