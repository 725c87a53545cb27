package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.BackupKind;
import dev.athanor.backup.BackupResult;
import dev.athanor.backup.Backups;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.backup.StartedDump;
import dev.athanor.backup.TransferProgress;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ops backup run} starts pg_dump from the configuration's database keys while the rest is read: the dump it
 * starts is the one backed up when the whole configuration names the same database, and is stopped (pg_dump and its
 * snapshot gone from the server) when it does not, or when the configuration turns out invalid, which stores nothing.
 * What the quick reading cannot use (the embedded database, a file it does not understand) starts nothing.
 */
class EarlyDumpTest {

    private static final String OURS = "SELECT count(*) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND application_name IN ('athanor-backup', 'athanor-pg_dump')";

    @Test
    void theDumpStartedEarlyIsTheOneBackedUpWithWhatItReadAhead() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("early-dump");
        Path config = TestConfig.on(source, directory).write(directory);
        Instant before = Instant.now();

        Optional<EarlyDump> early = EarlyDump.start(ConfigOption.of(config));

        assertThat(early).as("a database server is named: the dump starts").isPresent();
        AthanorConfiguration configuration = ConfigOption.of(config).load();
        PostgresTarget database = new PostgresTarget(source.jdbcUrl(), source.user(), source.password());
        Optional<StartedDump> started = early.get().matching(configuration, database);
        assertThat(started).isPresent();
        assertThat(started.get().startedAt()).isBetween(before, Instant.now());
        // the whole dump of this small database fits in what is read ahead: pg_dump has exited before it is read
        awaitNone(source, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'athanor-pg_dump'");
        try (Backups backups = configuration.getBackup().build(new RecordingAlerts())) {
            BackupResult result = backups.run(BackupKind.MANUAL, started.get(), TransferProgress.NONE, () -> false);

            assertThat(result.manifest().startedAt())
                    .isEqualTo(started.get().startedAt().truncatedTo(ChronoUnit.SECONDS));
            assertThat(result.manifest().tables()).containsEntry("shop.orders",
                    Databases.queryLong(source, "SELECT count(*) FROM shop.orders"));
        }
        early.get().close();
        awaitNone(source, OURS);
        String id = OpsRun.of("backup", "list", "--json", "--config", config.toString()).out()
                .replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        OpsRun verify = OpsRun.of("backup", "verify", id, "--config", config.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("Backup " + id + " verified: ");
    }

    @Test
    void aDumpOfAnotherDatabaseThanTheWholeConfigurationNamesIsStopped() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        TestDatabase other = TestPostgres.shared().createDatabase();
        Path directory = TestPostgres.newDirectory("early-mismatch");
        Path config = TestConfig.on(source, directory).write(directory);
        Path otherConfig = TestConfig.on(other, directory).write(directory.resolve("other"));

        EarlyDump early = EarlyDump.start(ConfigOption.of(config)).orElseThrow();
        assertThat(Databases.queryLong(source, OURS)).as("the snapshot's connection is open").isPositive();
        AthanorConfiguration configuration = ConfigOption.of(otherConfig).load();

        assertThat(early.matching(configuration, new PostgresTarget(other.jdbcUrl(), other.user(),
                other.password()))).isEmpty();
        awaitNone(source, OURS);
    }

    @Test
    void anInvalidConfigurationStopsTheEarlyDumpAndStoresNothing() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("early-invalid");
        Path config = TestConfig.on(source, directory).replace("daily: 7", "daily: -1").write(directory);

        OpsRun run = OpsRun.of("backup", "run", "--config", config.toString());

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

        assertThat(EarlyDump.start(ConfigOption.of(embedded))).isEmpty();
        assertThat(EarlyDump.start(ConfigOption.of(broken))).isEmpty();
        assertThat(EarlyDump.start(ConfigOption.of(undefined))).isEmpty();
        assertThat(EarlyDump.start(ConfigOption.of(directory.resolve("missing.yml")))).isEmpty();
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
