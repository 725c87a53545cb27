package dev.athanor.ops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.backup.scheduler.AlertedFailure;
import dev.athanor.backup.scheduler.JobRuns;
import dev.athanor.backup.scheduler.ScheduledTask;
import dev.athanor.ops.Ops;
import dev.athanor.ops.backup.BackupSession;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.ArchivingCluster;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The point-in-time recovery jobs as the scheduler runs them, on a real PostgreSQL whose archive_command fails while
 * told to: skipped until set up; then the mark recorded, and the watch's failed pushes alerted and recovered.
 */
class PitrTasksTest {

    @Test
    void skippedUntilSetUpThenMarksAndWatchesTheArchive() throws Exception {
        try (ArchivingCluster cluster = ArchivingCluster.start("pitr-tasks")) {
            cluster.archive();
            TestDatabase database = cluster.database();
            new Migrations(database.dataSource()).migrate();
            Path directory = TestPostgres.newDirectory("pitr-tasks");
            Path config = TestConfig.on(database, directory).write(directory);
            try (BackupSession session = BackupSession.open(ConfigOption.of(config))) {
                Map<String, ScheduledTask> tasks = new LinkedHashMap<>();
                PitrTasks.addTo(tasks, session);
                assertThat(tasks).containsOnlyKeys("pitr-full", "pitr-diff", "pitr-drill", "pitr-mark", "pitr-watch");
                for (ScheduledTask task : tasks.values()) {
                    assertThat(task.run(() -> false))
                            .isEqualTo("skipped: point-in-time recovery is not set up (ops pitr setup)");
                }
                assertThat(database.<Long>value("SELECT count(*) FROM pitr_marks")).isZero();

                Files.createDirectories(directory.resolve("pitr"));
                Files.writeString(directory.resolve("pitr/pgbackrest.conf"), "[global]\n");

                assertThat(tasks.get("pitr-mark").run(() -> false))
                        .matches("mark \\d+ at \\S+: \\d+ table\\(s\\), \\d+ row\\(s\\), in \\d+ ms");
                assertThat(database.<Long>value("SELECT count(*) FROM pitr_marks")).isOne();

                cluster.failPushes();
                cluster.writeAndSwitch();
                Throwable failure = awaitFailure(tasks.get("pitr-watch"));
                assertThat(failure).isInstanceOf(AlertedFailure.class);
                assertThat(failure.getCause()).hasMessageMatching("archiving [0-9A-F]{24} failed .*");
                assertThat(openAlerts(session)).containsKey("pitr / push");

                cluster.letPushesThrough();
                cluster.writeAndSwitch();
                Instant deadline = Instant.now().plusSeconds(30);
                String detail = null;
                while (detail == null) {
                    assertThat(Instant.now()).isBefore(deadline);
                    try {
                        detail = tasks.get("pitr-watch").run(() -> false);
                    } catch (AlertedFailure e) {
                        Thread.sleep(200);
                    }
                }
                assertThat(detail).matches("nothing waiting; last archived [0-9A-F]{24} .* ago");
                assertThat(openAlerts(session)).doesNotContainKey("pitr / push").doesNotContainKey("pitr / lag");
            }
        }
    }

    /**
     * Inside the scheduler daemon (its own process, Quartz writing its tables meanwhile), the mark locks and counts
     * without waiting on the scheduler, and the watch reports archiving off.
     */
    @Test
    void theDaemonMarksAndWatchesOnSchedule() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        Path directory = TestPostgres.newDirectory("pitr-daemon");
        Files.createDirectories(directory.resolve("pitr"));
        Files.writeString(directory.resolve("pitr/pgbackrest.conf"), "[global]\n");
        Path config = TestConfig.on(database, directory)
                .section("scheduler", """
                          jobs:
                            pitr-mark: "0/2 * * * * ?"
                            pitr-watch: "1/2 * * * * ?"
                          randomDelays: {}
                          misfireThreshold: 1 second
                          checkinInterval: 1 second
                          stopTimeout: 30 seconds
                        """)
                .write(directory);
        JobRuns runs = new JobRuns(database.dataSource());
        try (JavaProcess daemon = JavaProcess.start(directory.resolve("scheduler.out"), Ops.class, "scheduler",
                "run", "--config", config.toString())) {
            assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
            Instant deadline = Instant.now().plusSeconds(60);
            while (succeeded(runs, "pitr-mark") < 2 || succeeded(runs, "pitr-watch") < 1) {
                assertThat(Instant.now()).as(daemon.output()).isBefore(deadline);
                Thread.sleep(200);
            }
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        }
        assertThat(runs.all()).filteredOn(run -> run.job().startsWith("pitr-")).allSatisfy(run -> {
            assertThat(run.outcome()).isEqualTo("succeeded");
            assertThat(run.detail().orElse("")).matches(run.job().equals("pitr-mark")
                    ? "mark \\d+ at \\S+: \\d+ table\\(s\\), \\d+ row\\(s\\), in \\d+ ms" : "archiving off");
        });
        assertThat(database.<Long>value("SELECT count(*) FROM pitr_marks")).isGreaterThanOrEqualTo(2L);
    }

    private static long succeeded(JobRuns runs, String job) throws Exception {
        return runs.all().stream().filter(run -> run.job().equals(job) && run.outcome().equals("succeeded")).count();
    }

    private static Throwable awaitFailure(ScheduledTask watch) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            assertThat(Instant.now()).isBefore(deadline);
            try {
                watch.run(() -> false);
            } catch (AlertedFailure e) {
                return e;
            }
            Thread.sleep(200);
        }
    }

    private static Map<String, String> openAlerts(BackupSession session) {
        return session.configuration().getAlerts().build(session.configuration().getSmtp()).openProblems();
    }
}
