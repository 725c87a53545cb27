package dev.athanor.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.OpsRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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

        assertThat(new NginxSiteCheck(configuration).findings()).contains(Finding.ok("nginx", site + " is what this"
                + " release's ops nginx config renders"));
        Files.writeString(site, Files.readString(site).replace("client_max_body_size 64k;",
                "client_max_body_size 64k;\n\n        # a comment reworded by a later release"));
        assertThat(new NginxSiteCheck(configuration).findings()).as("comments aside").contains(Finding.ok("nginx",
                site + " is what this release's ops nginx config renders"));
        Files.writeString(site, Files.readString(site).replace("client_max_body_size 64k;",
                "client_max_body_size 64k;\n        add_header X-Edited yes;"));
        assertThat(new NginxSiteCheck(configuration).findings()).contains(Finding.warn("nginx", site + " is not what"
                + " this release's ops nginx config renders (first difference: `add_header X-Edited yes;` where it"
                + " renders `client_body_timeout 60s;`): rendered by an earlier release, or edited by hand",
                "ops nginx config > " + site + " && nginx -t && systemctl reload nginx"));

        Path upstream = temp.resolve("nginx-includes/athanor-upstream.conf");
        Files.writeString(upstream, Files.readString(upstream).replace("8090", "9999"));
        assertThat(new NginxSiteCheck(configuration).findings().get(0).message()).isEqualTo(site
                + " proxies to 127.0.0.1:9999 but the site listens on 127.0.0.1:8090");
    }

    /**
     * With nginx.pageFiles, doctor checks that nginx sends the pages of the slot it proxies to: the link ops made at
     * render, the slot's folder, a link gone or pointing at the other slot, and a page-view log the site cannot empty,
     * each with the line that mends it.
     */
    @Test
    void thePageFilesNginxSendsAreTheLiveSlots() throws Exception {
        Path install = Files.createDirectories(temp.resolve("install"));
        Files.writeString(install.resolve("live.json"), "{\"release\":\"0.2.0-3fa9c21b\",\"slot\":\"b\"}");
        Path pages = temp.resolve("pages");
        Path site = temp.resolve("athanor.conf");
        Path config = new OpsConfig(temp)
                .set("monitoring", "nginxSite", site.toString())
                .set("nginx", "pageFiles", pages.toString())
                .write();
        assertThat(OpsRun.of("nginx", "config", "-o", site.toString(), "--config", config.toString()).exitCode())
                .isZero();
        AthanorConfiguration configuration = ConfigOption.of(config).load();
        Path live = pages.resolve("live");
        String slotB = "127.0.0.1:" + configuration.getDeploy().slot("b").getPort();
        assertThat(Files.readSymbolicLink(live)).isEqualTo(Path.of("b"));

        assertThat(pageFiles(configuration)).singleElement().satisfies(finding -> {
            assertThat(finding.level()).isEqualTo(Finding.Level.WARN);
            assertThat(finding.message()).startsWith("slot b's folder " + pages.resolve("b") + " is missing: ");
        });

        Files.createDirectories(pages.resolve("b"));
        assertThat(pageFiles(configuration)).containsExactly(Finding.ok("page-files", live + " points at slot b,"
                + " which nginx proxies to"));

        Files.delete(live);
        Files.createSymbolicLink(live, Path.of("a"));
        assertThat(pageFiles(configuration)).singleElement().satisfies(finding -> {
            assertThat(finding.level()).isEqualTo(Finding.Level.WARN);
            assertThat(finding.message()).startsWith(live + " points at a, but nginx proxies to slot b (" + slotB
                    + "): ");
            assertThat(finding.fix()).isEqualTo("ln -sfn b " + live);
        });

        Files.delete(live);
        Files.createSymbolicLink(live, pages.resolve("b").toAbsolutePath());
        assertThat(pageFiles(configuration)).as("a link to the slot's full path").extracting(Finding::level)
                .containsExactly(Finding.Level.OK);

        Files.delete(live);
        Files.createDirectories(live);
        assertThat(pageFiles(configuration)).singleElement().satisfies(finding -> {
            assertThat(finding.level()).isEqualTo(Finding.Level.WARN);
            assertThat(finding.message()).startsWith(live + " is not a link: ");
            assertThat(finding.fix()).isEqualTo("mv " + live + " " + live + ".old && ln -sfn b " + live);
        });

        Files.delete(live);
        assertThat(pageFiles(configuration)).singleElement().satisfies(finding -> {
            assertThat(finding.level()).isEqualTo(Finding.Level.WARN);
            assertThat(finding.message()).isEqualTo(live + " is missing: nginx asks the site for every page instead"
                    + " of sending slot b's page files");
            assertThat(finding.fix()).isEqualTo("ln -sfn b " + live);
        });

        Files.createSymbolicLink(live, Path.of("b"));
        Path log = Files.writeString(pages.resolve("page-views.log"), "/courses\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("r--r-----"));
        String group = Files.readAttributes(pages, PosixFileAttributes.class).group().getName();
        assertThat(pageFiles(configuration)).last().satisfies(finding -> {
            assertThat(finding.level()).isEqualTo(Finding.Level.WARN);
            assertThat(finding.message()).startsWith(log + " is not writable by " + Files.getOwner(pages).getName()
                    + ", the owner of " + pages + ": ");
            assertThat(finding.fix()).isEqualTo("chgrp " + group + " " + log + " && chmod g+rw " + log);
        });
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("r--rw----"));
        assertThat(pageFiles(configuration)).extracting(Finding::level).containsExactly(Finding.Level.OK);
    }

    private static List<Finding> pageFiles(AthanorConfiguration configuration) {
        return new NginxSiteCheck(configuration).findings().stream().filter(finding -> finding.check()
                .equals("page-files")).toList();
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
