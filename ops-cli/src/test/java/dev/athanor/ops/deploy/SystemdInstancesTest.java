package dev.athanor.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.monitoring.deploy.DeployFactory;
import io.dropwizard.jackson.Jackson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instances as systemd units, driven through a stand-in systemctl that records each call (and, at a start, the
 * slot's environment file as the unit would read it then) and answers as systemd would.
 */
class SystemdInstancesTest {

    @TempDir
    Path temp;

    private Path install;
    private StandInSystemctl systemd;
    private SystemdInstances instances;
    private Release release;

    @BeforeEach
    void setUp() throws Exception {
        install = temp.resolve("install");
        DeployFactory deploy = Jackson.newObjectMapper().convertValue(Map.of("directory", install.toString(),
                "mode", "systemd", "slotA", Map.of("port", 8080, "adminPort", 8081),
                "slotB", Map.of("port", 8090, "adminPort", 8091)), DeployFactory.class);
        systemd = new StandInSystemctl(temp.resolve("systemd"), install);
        instances = new SystemdInstances(deploy, systemd.systemctl());
        release = new Release("1.2.0-3fa9c21b", Files.createDirectories(install.resolve("releases/1.2.0-3fa9c21b")));
    }

    @Test
    void startWritesTheSlotsFileThenStartsItsUnit() throws Exception {
        systemd.answer("is-active --quiet athanor@b.service", 3, "");

        instances.start("b", release);

        String releaseDirectory = install.resolve("releases/1.2.0-3fa9c21b").toString();
        assertThat(systemd.calls()).containsExactly("is-active --quiet athanor@b.service", "start athanor@b.service",
                "  | # Written by ops deploy: the release slot b runs, and its ports (athanor@b.service reads this"
                        + " file).",
                "  | ATHANOR_PORT=8090", "  | ATHANOR_ADMIN_PORT=8091", "  | ATHANOR_RELEASE=" + releaseDirectory);
        Path file = install.resolve("instances/b.env");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(install.resolve("instances")).isDirectoryNotContaining("glob:**.next");
    }

    @Test
    void aSecondStartReplacesTheFileWhole() throws Exception {
        systemd.answer("is-active --quiet athanor@a.service", 3, "");
        instances.start("a", release);
        Release next = new Release("1.3.0-0badcafe",
                Files.createDirectories(install.resolve("releases/1.3.0-0badcafe")));

        instances.start("a", next);

        assertThat(Files.readString(install.resolve("instances/a.env"))).contains("ATHANOR_PORT=8080\n")
                .endsWith("ATHANOR_RELEASE=" + next.directory() + "\n").doesNotContain("1.2.0");
    }

    @Test
    void aSlotWhoseUnitRunsIsNotStartedAgain() throws Exception {
        systemd.answer("is-active --quiet athanor@b.service", 0, "");

        assertThatThrownBy(() -> instances.start("b", release)).isInstanceOf(DeployException.class)
                .hasMessage("athanor@b.service already runs: stop it before starting release 1.2.0-3fa9c21b in slot"
                        + " b (systemctl stop athanor@b.service)");
        assertThat(systemd.calls()).containsExactly("is-active --quiet athanor@b.service");
        assertThat(install.resolve("instances/b.env")).doesNotExist();
    }

    @Test
    void aStartSystemdRefusesSaysWhatItSaid() throws Exception {
        systemd.answer("is-active --quiet athanor@a.service", 3, "")
                .answer("start athanor@a.service", 5, "Failed to start athanor@a.service: Unit athanor@a.service not"
                        + " found.\n");

        assertThatThrownBy(() -> instances.start("a", release)).isInstanceOfSatisfying(DeployException.class,
                e -> assertThat(e.exitCode()).isEqualTo(71)).hasMessage("systemctl start athanor@a.service failed"
                        + " (exit 5): Failed to start athanor@a.service: Unit athanor@a.service not found.");
    }

    @Test
    void runningIsSystemdsIsActive() throws Exception {
        systemd.answer("is-active --quiet athanor@a.service", 0, "").answer("is-active --quiet athanor@b.service", 3,
                "");

        assertThat(instances.running("a")).isTrue();
        assertThat(instances.running("b")).isFalse();
    }

    @Test
    void aFailureSaysHowTheProcessEnded() throws Exception {
        String show = "show -p ActiveState -p SubState -p Result -p ExecMainCode -p ExecMainStatus ";
        systemd.answer(show + "athanor@a.service", 0, "ActiveState=failed\nSubState=failed\nResult=exit-code\n"
                + "ExecMainCode=1\nExecMainStatus=1\n")
                .answer(show + "athanor@b.service", 0, "ActiveState=activating\nSubState=auto-restart\n"
                        + "Result=exit-code\nExecMainCode=1\nExecMainStatus=3\n");

        assertThat(instances.failure("a")).contains("athanor@a.service exited with status 1 (failed, exit-code)");
        assertThat(instances.failure("b"))
                .contains("athanor@b.service exited with status 3 (waiting to be restarted, exit-code)");

        systemd.answer(show + "athanor@a.service", 0, "ActiveState=active\nSubState=running\nResult=success\n"
                + "ExecMainCode=0\nExecMainStatus=0\n")
                .answer(show + "athanor@b.service", 0, "ActiveState=failed\nSubState=failed\nResult=signal\n"
                        + "ExecMainCode=2\nExecMainStatus=9\n");
        assertThat(instances.failure("a")).isEmpty();
        assertThat(instances.failure("b")).contains("athanor@b.service killed by signal 9 (failed, signal)");
    }

    @Test
    void stopWaitsForSystemdsStop() throws Exception {
        instances.stop("a", Duration.ofSeconds(30));

        assertThat(systemd.calls()).containsExactly("stop athanor@a.service");
    }

    @Test
    void anInstanceStillDrainingAfterTheTimeoutIsKilled() throws Exception {
        systemd.hang("stop athanor@b.service");
        long started = System.nanoTime();

        instances.stop("b", Duration.ofMillis(500));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(500),
                Duration.ofSeconds(8));
        assertThat(systemd.calls()).containsExactly("stop athanor@b.service",
                "kill --signal=SIGKILL athanor@b.service");
    }

    @Test
    void persistEnablesTheLiveSlotAndDisablesTheOther() throws Exception {
        instances.persist("b");

        assertThat(systemd.calls()).containsExactly("enable athanor@b.service", "disable athanor@a.service");
    }

    @Test
    void theLastLogLinesAreTheJournals() throws Exception {
        systemd.answer("-u athanor@a.service -n 20 --no-pager -o cat", 0, "Caused by: port 8080 in use\nexit\n");

        assertThat(instances.lastLogLines("a", 20)).containsExactly("Caused by: port 8080 in use", "exit");
        assertThat(systemd.calls()).containsExactly("-u athanor@a.service -n 20 --no-pager -o cat");
    }

    @Test
    void withoutSystemdItSaysToUseTheLocalMode() throws Exception {
        DeployFactory deploy = Jackson.newObjectMapper().convertValue(Map.of("directory", install.toString()),
                DeployFactory.class);
        SystemdInstances nowhere = new SystemdInstances(deploy, new Systemctl(temp.resolve("no/systemctl").toString(),
                temp.resolve("no/journalctl").toString()));

        assertThatThrownBy(() -> nowhere.persist("a")).isInstanceOfSatisfying(DeployException.class,
                e -> assertThat(e.exitCode()).isEqualTo(69)).hasMessageContaining("deploy.mode systemd needs systemd;"
                        + " on a machine without it set deploy.mode to local");
        assertThat(nowhere.running("a")).isFalse();
        assertThat(nowhere.lastLogLines("a", 5)).isEmpty();
    }
}
