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
                .set("nginx", "includeDirectory", temp.resolve("includes").toString())
                .set("monitoring", "nginxLogDirectory", "/var/log/nginx")
                .write();

        OpsRun run = OpsRun.of("nginx", "config", "--config", config.toString());
        OpsRun rendered = new OpsRun(run.exitCode(), run.out().replace(temp.resolve("includes").toString(),
                "/var/lib/athanor/nginx"), run.err());

        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        if (System.getenv("ATHANOR_WRITE_SHIPPED_NGINX") != null) {
            Files.writeString(Path.of("..", "nginx", "athanor.conf"), Files.readString(Path.of("..", "nginx",
                    "athanor.conf")).lines().takeWhile(line -> line.startsWith("#")).collect(Collectors.joining(
                    "\n", "", "\n")) + withoutHeader(rendered.out()) + "\n");
        }
        assertThat(withoutHeader(rendered.out())).as("nginx/athanor.conf is stale: render it again with"
                + " `ops nginx config` (see this test for the settings)")
                .isEqualTo(withoutHeader(Files.readString(Path.of("..", "nginx", "athanor.conf"))));
        assertThat(rendered.out()).contains("server_name learn.example.com www.learn.example.com;",
                "ssl_certificate /var/lib/athanor/certificates/learn.example.com/current/fullchain.pem;",
                "include /var/lib/athanor/nginx/athanor-upstream.conf;",
                "include /var/lib/athanor/nginx/athanor-maintenance.conf;", "proxy_set_header X-Country-Code \"\";",
                "listen 443 ssl http2;", "listen [::]:443 ssl http2;", "proxy_next_upstream error timeout;")
                .doesNotContain("proxy_next_upstream off");
        assertThat(rendered.out().lines().map(String::strip).filter(line -> !line.startsWith("#")))
                .as("the site's own 503s pass through; a POST is never sent twice")
                .noneMatch(line -> line.contains("proxy_intercept_errors") || line.contains("non_idempotent"));
        assertThat(rendered.err()).as("the includes it names, written since they were missing").contains(
                "Wrote " + temp.resolve("includes").resolve("athanor-upstream.conf").toAbsolutePath(),
                "Wrote " + temp.resolve("includes").resolve("athanor-maintenance.conf").toAbsolutePath());
        assertThat(Files.readString(temp.resolve("includes").resolve("athanor-upstream.conf")))
                .contains("upstream athanor_site {\n    server 127.0.0.1:8080 max_fails=0;\n    keepalive 16;\n}");
        assertThat(Files.readString(temp.resolve("includes").resolve("athanor-maintenance.conf")))
                .contains("geo $athanor_maintenance {\n    default \"\";\n}");
    }

    @Test
    void theUpstreamFollowsTheLiveReleasesSlotAndAnExistingIncludeIsKept() throws Exception {
        Path install = temp.resolve("install");
        Files.createDirectories(install);
        Files.writeString(install.resolve("live.json"), "{\"release\":\"0.2.0-3fa9c21b\",\"slot\":\"b\"}");
        Path config = new OpsConfig(temp)
                .set("server", "applicationConnectors", "[{type: http, bindHost: 127.0.0.1, port: 8080}]")
                .set("deploy", "directory", install.toString())
                .set("nginx", "includeDirectory", temp.resolve("includes").toString())
                .write();

        OpsRun first = OpsRun.of("nginx", "config", "-o", temp.resolve("site.conf").toString(), "--config",
                config.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        Path upstream = temp.resolve("includes").resolve("athanor-upstream.conf");
        assertThat(Files.readString(upstream)).contains("    server 127.0.0.1:8090 max_fails=0;\n");
        assertThat(first.out()).contains("Wrote " + upstream.toAbsolutePath());
        Files.writeString(upstream, Files.readString(upstream).replace("8090", "8091"));

        OpsRun again = OpsRun.of("nginx", "config", "--config", config.toString());

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).doesNotContain("Wrote");
        assertThat(Files.readString(upstream)).contains("127.0.0.1:8091");
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
