package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.BackupKind;
import dev.athanor.backup.BackupResult;
import dev.athanor.backup.Backups;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.backup.StartedDump;
import dev.athanor.backup.TransferProgress;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.RecordingAlerts;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ops backup run} starts pg_dump from the configuration's database keys while the rest is read: the dump it
 * starts is the one backed up when the whole configuration names the same database (no second pg_dump is run; with
 * a read-ahead smaller than the dump, the archive still verifies), and is stopped (pg_dump and its snapshot's
 * connection gone from the server) when it does not, when the configuration turns out invalid (which stores
 * nothing), or when pg_dump fails (which leaves a failure record only).
 * What the quick reading cannot use (the embedded database, a file it does not understand, {@code dw.} overrides)
 * starts nothing.
 */
class EarlyDumpTest {

    private static final String OURS = "SELECT count(*) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND application_name IN ('athanor-backup', 'athanor-pg_dump')";

    @Test
    void theDumpStartedEarlyIsTheOneBackedUpWhatWasReadAheadFirst() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("early-dump");
        Path config = TestConfig.on(source, directory).write(directory);
        Instant before = Instant.now();

        // a small read-ahead, so that the backup reads part of the dump from it and the rest from pg_dump
        try (EarlyDump early = EarlyDump.start(ConfigOption.of(config), 4096)) {
            AthanorConfiguration configuration = ConfigOption.of(config).load();
            PostgresTarget database = new PostgresTarget(source.jdbcUrl(), source.user(), source.password());
            Optional<StartedDump> started = early.matching(configuration, database);
            assertThat(started).as("a database server is named: the dump started").isPresent();
            assertThat(started.get().startedAt()).isBetween(before, Instant.now());
            try (Backups backups = configuration.getBackup().build(new RecordingAlerts())) {
                BackupResult result = backups.run(BackupKind.MANUAL, started.get(), TransferProgress.NONE,
                        () -> false);

                assertThat(result.manifest().startedAt())
                        .isEqualTo(started.get().startedAt().truncatedTo(ChronoUnit.SECONDS));
                assertThat(result.manifest().bytes()).isGreaterThan(4096);
                assertThat(result.manifest().tables()).containsEntry("shop.orders",
                        Databases.queryLong(source, "SELECT count(*) FROM shop.orders"));
            }
            awaitNone(source, OURS);
        }
        String id = OpsRun.of("backup", "list", "--json", "--config", config.toString()).out()
                .replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        OpsRun verify = OpsRun.of("backup", "verify", id, "--config", config.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("Backup " + id + " verified: ");
    }

    @Test
    void opsBackupRunTakesTheEarlyDumpOver() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("early-run");
        Path bin = directory.resolve("bin");
        Path calls = loggingPgDump(bin, "exec " + Databases.clientBin().resolve("pg_dump") + " \"$@\"\n");
        Path config = TestConfig.on(source, directory).set("ATHANOR_PG_CLIENT_BIN", bin.toString()).write(directory);
        int started = EarlyDump.started();
        int taken = EarlyDump.taken();

        OpsRun run = OpsRun.of("backup", "run", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(EarlyDump.started()).isEqualTo(started + 1);
        assertThat(EarlyDump.taken()).isEqualTo(taken + 1);
        assertThat(Files.readAllLines(calls)).filteredOn(call -> !call.equals("--version"))
                .as("one dump: the early one, taken over").singleElement().asString().startsWith("--format=custom");
        awaitNone(source, OURS);
        String id = run.out().replaceAll("(?s)^Backup (\\S+):.*", "$1");
        OpsRun verify = OpsRun.of("backup", "verify", id, "--config", config.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
    }

    @Test
    void aPgDumpFailingWhileReadAheadFailsTheBackupCleanly() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("early-fails");
        Path bin = directory.resolve("bin");
        Path real = Databases.clientBin().resolve("pg_dump");
        Path calls = loggingPgDump(bin, "if [ \"$1\" = --version ]; then exec " + real + " --version; fi\n"
                + "head -c 100000 /dev/zero\n"
                + "echo 'pg_dump: error: the disk is on fire' >&2\n"
                + "exit 1\n");
        Path config = TestConfig.on(source, directory).set("ATHANOR_PG_CLIENT_BIN", bin.toString()).write(directory);
        int taken = EarlyDump.taken();

        OpsRun run = OpsRun.of("backup", "run", "--config", config.toString());

        assertThat(EarlyDump.taken()).as("the early dump was taken over").isEqualTo(taken + 1);
        assertThat(Files.readAllLines(calls)).filteredOn(call -> !call.equals("--version"))
                .as("one dump: the early one").hasSize(1);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("the disk is on fire").contains("nothing was kept");
        awaitNone(source, OURS);
        try (Stream<Path> files = Files.list(directory.resolve("backups"))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .singleElement().asString().endsWith("-manual.failed.json");
        }
    }

    @Test
    void aDumpOfAnotherDatabaseThanTheWholeConfigurationNamesIsStopped() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        TestDatabase other = TestPostgres.shared().createDatabase();
        Path directory = TestPostgres.newDirectory("early-mismatch");
        Path config = TestConfig.on(source, directory).write(directory);
        Path otherConfig = TestConfig.on(other, directory).write(directory.resolve("other"));

        try (EarlyDump early = EarlyDump.start(ConfigOption.of(config))) {
            AthanorConfiguration configuration = ConfigOption.of(otherConfig).load();
            awaitSome(source, OURS);

            assertThat(early.matching(configuration, new PostgresTarget(other.jdbcUrl(), other.user(),
                    other.password()))).isEmpty();
            awaitNone(source, OURS);
        }
        awaitNone(source, OURS);
    }

    @Test
    void anInvalidConfigurationStopsTheEarlyDumpAndStoresNothing() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("early-invalid");
        Path config = TestConfig.on(source, directory).replace("daily: 7", "daily: -1").write(directory);
        int started = EarlyDump.started();

        OpsRun run = OpsRun.of("backup", "run", "--config", config.toString());

        assertThat(EarlyDump.started()).as("the dump started early").isEqualTo(started + 1);
        assertThat(run.exitCode()).isEqualTo(OpsFailure.CONFIG);
        assertThat(run.err()).contains("backup.retention.daily").contains("must be greater than or equal to 0");
        awaitNone(source, OURS);
        Path backups = directory.resolve("backups");
        if (Files.exists(backups)) {
            try (Stream<Path> files = Files.list(backups)) {
                assertThat(files).as("no archive, manifest or failure record").isEmpty();
            }
        }
    }

    @Test
    void whatTheQuickReadingCannotUseStartsNothing() throws Exception {
        Path directory = TestPostgres.newDirectory("early-nothing");
        Path embedded = directory.resolve("embedded.yml");
        Files.writeString(embedded, "database:\n  url: embedded\n");
        Path broken = directory.resolve("broken.yml");
        Files.writeString(broken, "database: [unclosed\n");
        Path undefined = directory.resolve("undefined.yml");
        Files.writeString(undefined, "database:\n  url: ${ATHANOR_TEST_UNDEFINED_VARIABLE}\n");

        int started = EarlyDump.started();
        for (Path config : List.of(embedded, broken, undefined, directory.resolve("missing.yml"), directory)) {
            try (EarlyDump early = EarlyDump.start(ConfigOption.of(config))) {
                assertThat(early.matching(new AthanorConfiguration(), PostgresTarget.parse("postgresql://h/db")))
                        .as(config.toString()).isEmpty();
            }
        }
        TestDatabase source = TestPostgres.shared().createDatabase();
        Path withServer = TestConfig.on(source, directory).write(directory.resolve("server"));
        System.setProperty("dw.logging.level", "INFO");
        try (EarlyDump early = EarlyDump.start(ConfigOption.of(withServer))) {
            assertThat(early.matching(new AthanorConfiguration(), PostgresTarget.parse("postgresql://h/db")))
                    .as("a dw. override may name another database").isEmpty();
        } finally {
            System.clearProperty("dw.logging.level");
        }
        assertThat(EarlyDump.started()).isEqualTo(started);
    }

    /**
     * Makes {@code bin} a directory with a pg_dump that logs its arguments (one line per call, in the file returned)
     * and then runs {@code script} (sh), beside the machine's pg_restore.
     */
    private static Path loggingPgDump(Path bin, String script) throws Exception {
        Files.createDirectories(bin);
        Path calls = bin.resolveSibling("pg_dump.calls");
        Files.writeString(bin.resolve("pg_dump"), "#!/bin/sh\necho \"$@\" >> " + calls + "\n" + script);
        assertThat(bin.resolve("pg_dump").toFile().setExecutable(true)).isTrue();
        Files.createSymbolicLink(bin.resolve("pg_restore"), Databases.clientBin().resolve("pg_restore"));
        return calls;
    }

    /** Waits (up to ten seconds) for {@code countQuery} to count something: the early dump starts on its own thread. */
    private static void awaitSome(TestDatabase database, String countQuery) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Databases.queryLong(database, countQuery) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Databases.queryLong(database, countQuery)).as(countQuery).isPositive();
    }

    /**
     * Waits a little for {@code countQuery} to count nothing: a backend ends just after its client closed the
     * connection. Not longer: the driver closes a leaked connection itself once it is garbage-collected.
     */
    private static void awaitNone(TestDatabase database, String countQuery) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long count = Databases.queryLong(database, countQuery);
        while (count > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            count = Databases.queryLong(database, countQuery);
        }
        assertThat(count).as(countQuery).isZero();
    }
}
