package dev.athanor.ops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.backup.scheduler.ScheduledTask;
import dev.athanor.ops.backup.BackupSession;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.PitrFixture;
import dev.athanor.platform.db.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pgBackRest jobs as the scheduler runs them, on the embedded default set up with a repository on S3Proxy over
 * HTTPS: a differential and a full backup land in the repository; the drill waits for a mark old enough.
 */
class PitrJobsTest {

    @TempDir
    Path temp;

    @Test
    void theBackupJobsBackUpAndTheDrillWaitsForAnOldEnoughMark() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pgbackrest")), "pgbackrest is not installed (./dev test"
                + " installs it)");
        try (PitrFixture site = PitrFixture.create(temp, "2 seconds", config -> config)) {
            new Migrations(site.start().dataSource("test")).migrate();
            OpsRun setup = site.ops("pitr", "setup", "--yes");
            assertThat(setup.exitCode()).as(setup.err() + setup.out()).isZero();

            try (BackupSession session = BackupSession.open(ConfigOption.of(site.config()))) {
                Map<String, ScheduledTask> tasks = new LinkedHashMap<>();
                PitrTasks.addTo(tasks, session);

                assertThat(tasks.get("pitr-diff").run(() -> false))
                        .matches("backup \\S+D \\(diff\\): [0-9.]+ [KMG]iB of database, [0-9.]+ [KMG]iB stored");
                assertThat(tasks.get("pitr-full").run(() -> false))
                        .matches("backup \\S+F \\(full\\): [0-9.]+ [KMG]iB of database, [0-9.]+ [KMG]iB stored");
                assertThat(tasks.get("pitr-mark").run(() -> false)).startsWith("mark ");
                assertThat(tasks.get("pitr-drill").run(() -> false)).isEqualTo("skipped: Nothing to drill yet: no"
                        + " row-count mark more than 10 min old (pitr-mark takes one hourly)");
            }
            assertThat(site.ops("pitr", "status").out()).containsPattern("(?m)^Backups: +3$");
        }
    }
}
