package dev.athanor.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.OpsRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ops doctor} reads of a site {@code ops nginx config} rendered: the upstream is in the include it names,
 * and after a deploy it may be the second slot's port; and what {@code ops status} says of maintenance mode.
 */
class NginxSiteCheckTest {

    @TempDir
    Path temp;

    @Test
    void theUpstreamIsReadFromTheIncludeAndTheLiveSlotIsTheSite() throws Exception {
        Path install = temp.resolve("install");
        Files.createDirectories(install);
        Files.writeString(install.resolve("live.json"), "{\"release\":\"0.2.0-3fa9c21b\",\"slot\":\"b\"}");
        Path site = temp.resolve("athanor.conf");
        Path config = new OpsConfig(temp)
                .set("server", "applicationConnectors", "[{type: http, bindHost: 127.0.0.1, port: 8080}]")
                .set("monitoring", "nginxSite", site.toString())
                .write();
        assertThat(OpsRun.of("nginx", "config", "-o", site.toString(), "--config", config.toString()).exitCode())
                .isZero();
        AthanorConfiguration configuration = ConfigOption.of(config).load();

        assertThat(new NginxSiteCheck(configuration).findings()).first().satisfies(finding -> {
            assertThat(finding.level()).isEqualTo(Finding.Level.OK);
            assertThat(finding.message()).isEqualTo(site + " proxies to 127.0.0.1:8090");
        });

        Path upstream = temp.resolve("nginx-includes/athanor-upstream.conf");
        Files.writeString(upstream, Files.readString(upstream).replace("8090", "9999"));
        assertThat(new NginxSiteCheck(configuration).findings().get(0).message()).isEqualTo(site
                + " proxies to 127.0.0.1:9999 but the site listens on 127.0.0.1:8090");
    }

    @Test
    void statusNamesMaintenanceModeAsAProblemWhileItIsOn() throws Exception {
        Path config = new OpsConfig(temp).write();
        AthanorConfiguration configuration = ConfigOption.of(config).load();
        assertThat(StatusCommand.maintenance(configuration)).isEmpty();

        Files.createDirectories(temp.resolve("nginx-includes"));
        Files.writeString(temp.resolve("nginx-includes/athanor-maintenance.conf"), """
                # state: {"since":"2026-12-06T10:00:00Z","message":"Moving house","addresses":["127.0.0.1"]}
                geo $athanor_maintenance {
                    default on;
                    127.0.0.1 operator;
                }
                """);

        assertThat(StatusCommand.maintenance(configuration)).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("Maintenance is on since 2026-12-06T10:00:00Z (").contains("\"Moving house\"",
                        "127.0.0.1 still reach the site (ops maintenance off ends it)"));
    }
}
