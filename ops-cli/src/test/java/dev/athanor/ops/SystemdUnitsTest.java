package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every unit file in systemd/ passes {@code systemd-analyze verify} without a word of complaint. */
class SystemdUnitsTest {

    private static final Path UNITS = Path.of("..", "systemd");

    @Test
    void everyUnitVerifies() throws Exception {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed (./dev test installs it)");
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        try (Stream<Path> files = Files.list(UNITS)) {
            files.filter(file -> file.toString().endsWith(".service") || file.toString().endsWith(".timer"))
                    .sorted().forEach(file -> command.add(file.toAbsolutePath().toString()));
        }
        assertThat(command).hasSizeGreaterThan(2);

        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as("systemd-analyze verify output").isEmpty();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void theSiteUnitIsHardenedAndRestartsOnFailure() throws IOException {
        String unit = Files.readString(UNITS.resolve("athanor.service"));

        assertThat(unit).contains("User=athanor", "Restart=on-failure", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "ReadWritePaths=/var/lib/athanor /var/log/athanor", "EnvironmentFile=/etc/athanor/athanor.env",
                "-Xmx256m", "-jar /opt/athanor/athanor.jar server /etc/athanor/config.yml");
    }

    @Test
    void theHealthWatchRunsOpsAsTheSiteUserAndRestartsAlways() throws IOException {
        String unit = Files.readString(UNITS.resolve("athanor-health-watch.service"));

        assertThat(unit).contains("User=athanor", "Restart=always", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "EnvironmentFile=/etc/athanor/athanor.env", "ATHANOR_CONFIG=/etc/athanor/config.yml",
                "-jar /opt/athanor/ops.jar health --watch", "ReadWritePaths=/var/lib/athanor");
    }

    @Test
    void theSchedulerUnitIsHardenedLikeTheSiteAndStopsGracefully() throws IOException {
        String unit = Files.readString(UNITS.resolve("athanor-scheduler.service"));
        String site = Files.readString(UNITS.resolve("athanor.service"));

        assertThat(unit).contains("User=athanor", "Restart=on-failure", "EnvironmentFile=/etc/athanor/athanor.env",
                "-Xmx128m", "-jar /opt/athanor/ops.jar scheduler --config /etc/athanor/config.yml",
                "KillSignal=SIGTERM", "SuccessExitStatus=143", "TimeoutStopSec=11min");
        site.lines().dropWhile(line -> !line.startsWith("# Hardening")).skip(1)
                .takeWhile(line -> !line.isBlank())
                .forEach(line -> assertThat(unit).as("the scheduler unit has the site's " + line).contains(line));
    }

    @Test
    void theOpsWrapperIsShellAndRunsOpsJavaAsTheSiteUserWithTheSecrets() throws Exception {
        for (String script : List.of("ops", "ops-java")) {
            Process check = new ProcessBuilder("sh", "-n", UNITS.resolve(script).toString()).redirectErrorStream(true)
                    .start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor()).as(script + ": " + output).isZero();
        }
        String wrapper = Files.readString(UNITS.resolve("ops"));

        assertThat(wrapper).startsWith("#!/bin/sh\n").contains(". /etc/athanor/athanor.env",
                "ATHANOR_DATA_DIR=/var/lib/athanor", "exec runuser -u athanor -- sh /opt/athanor/systemd/ops-java \"$@\"");
        assertThat(wrapper.indexOf("athanor.env")).as("the secrets are read before the switch")
                .isLessThan(wrapper.indexOf("runuser"));
        assertThat(wrapper).as("--write-archive: as root, the command as athanor, doctor by default")
                .contains("[ $# -gt 0 ] || set -- doctor",
                        "OPS_USER=athanor exec sh /opt/athanor/systemd/ops-java --write-archive \"$@\"");
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }
}
