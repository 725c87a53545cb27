package dev.athanor.ops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.backup.scheduler.JobRuns;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.JavaProcess;
import dev.athanor.ops.Ops;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ops scheduler} as systemd runs it, in a process of its own: SIGTERM while a backup runs lets it finish
 * within the stop timeout, or stops it cleanly (no backup, nothing half written) once the timeout has passed; either
 * way the process exits as systemd expects and the run is recorded.
 */
class SchedulerDaemonTest {

    @Test
    void stoppingTheDaemonLetsARunningBackupFinish() throws Exception {
        Stopped stopped = stopDuringBackup("60 seconds");

        assertThat(stopped.exitCode()).isEqualTo(143);
        assertThat(stopped.run().outcome()).as(stopped.output()).isEqualTo("succeeded");
        assertThat(stopped.files()).anyMatch(name -> name.endsWith("-daily.manifest.json"))
                .anyMatch(name -> name.endsWith("-daily.dump")).noneMatch(name -> name.endsWith(".partial"));
    }

    @Test
    void stoppingTheDaemonPastItsStopTimeoutAbortsTheBackupCleanly() throws Exception {
        Stopped stopped = stopDuringBackup("1 second");

        assertThat(stopped.exitCode()).isEqualTo(143);
        assertThat(stopped.run().outcome()).as(stopped.output()).isEqualTo("interrupted");
        assertThat(stopped.run().detail()).hasValueSatisfying(detail -> assertThat(detail).contains("stopped"));
        assertThat(stopped.files()).noneMatch(name -> name.endsWith(".manifest.json") || name.endsWith(".dump")
                || name.endsWith(".partial")).anyMatch(name -> name.endsWith(".failed.json"));
        assertThat(stopped.output()).contains("Stopping job backup-daily: it did not finish within");
    }

    @Test
    void aJobWaitingOutItsRandomDelayIsSkippedAtOnceWhenTheDaemonStops() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        Path directory = TestPostgres.newDirectory("scheduler-delay");
        Path config = TestConfig.on(database, directory)
                .section("scheduler", """
                          jobs:
                            certs-check: "0/2 * * * * ?"
                          randomDelays:
                            certs-check: 10000 hours
                          misfireThreshold: 5 seconds
                          checkinInterval: 1 second
                          stopTimeout: 2 minutes
                        """)
                .write(directory);
        JobRuns runs = new JobRuns(database.dataSource());
        try (JavaProcess daemon = JavaProcess.start(directory.resolve("scheduler.log"), Ops.class, "scheduler", "run",
                "--config", config.toString())) {
            assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (runningRun(runs).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2000);
            assertThat(runningRun(runs)).as("the job is waiting out its delay (a random time up to 10,000 hours)")
                    .isPresent();

            long stopping = System.nanoTime();
            int exitCode = daemon.terminate(Duration.ofSeconds(90));
            Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);

            assertThat(exitCode).isEqualTo(143);
            assertThat(stopped).as("the wait ends with the daemon, not after the two-minute stop timeout")
                    .isLessThan(Duration.ofSeconds(60));
            assertThat(runs.all()).singleElement().satisfies(run -> {
                assertThat(run.outcome()).isEqualTo("skipped");
                assertThat(run.detail()).hasValueSatisfying(detail -> assertThat(detail).contains("random delay"));
            });
        }
    }

    record Stopped(int exitCode, JobRuns.Run run, List<String> files, String output) {
    }

    private static Stopped stopDuringBackup(String stopTimeout) throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        Databases.execute(database, "CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 1000)");
        Path directory = TestPostgres.newDirectory("scheduler-stop");
        Path config = TestConfig.on(database, directory)
                .set("ATHANOR_PG_CLIENT_BIN", slowPgDump(directory.resolve("slow-bin")).toString())
                .section("scheduler", """
                          jobs:
                            backup-daily: "0/2 * * * * ?"
                          misfireThreshold: 5 seconds
                          checkinInterval: 1 second
                          stopTimeout: %s
                        """.formatted(stopTimeout))
                .write(directory);
        JobRuns runs = new JobRuns(database.dataSource());
        try (JavaProcess daemon = JavaProcess.start(directory.resolve("scheduler.log"), Ops.class, "scheduler", "run",
                "--config", config.toString())) {
            assertThat(daemon.awaitOutput("Scheduler node", Duration.ofSeconds(60))).as(daemon.output()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (runningRun(runs).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(runningRun(runs)).as("a backup is running").isPresent();

            int exitCode = daemon.terminate(Duration.ofSeconds(90));

            List<JobRuns.Run> all = runs.all();
            assertThat(all).as("no new run started while stopping").hasSize(1);
            try (Stream<Path> files = Files.list(directory.resolve("backups"))) {
                return new Stopped(exitCode, all.get(0), files.map(file -> file.getFileName().toString()).toList(),
                        daemon.output());
            }
        }
    }

    private static Optional<JobRuns.Run> runningRun(JobRuns runs) throws Exception {
        return runs.all().stream().filter(run -> "running".equals(run.outcome())).findFirst();
    }

    /** pg_dump that waits 4 seconds before dumping: a backup long enough to stop the daemon in the middle of. */
    static Path slowPgDump(Path bin) throws IOException {
        Files.createDirectories(bin);
        Path real = Databases.clientBin();
        Path pgDump = bin.resolve("pg_dump");
        Files.writeString(pgDump, """
                #!/bin/sh
                [ "$1" = "--version" ] || sleep 4
                exec %s "$@"
                """.formatted(real.resolve("pg_dump")));
        Files.setPosixFilePermissions(pgDump, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(bin.resolve("pg_restore"), real.resolve("pg_restore"));
        return bin;
    }
}
