package dev.athanor.ops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.OpsFailure;
import dev.athanor.ops.testing.Databases;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.TestConfig;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ops backup run} reads the configuration once, as the site does, and only then starts anything: one pg_dump
 * per backup, none at all (and no connection left on the server, nothing stored) when the configuration is invalid,
 * and a pg_dump that fails leaves a failure record only.
 */
class BackupRunCommandTest {

    private static final String OURS = "SELECT count(*) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND application_name IN ('athanor-backup', 'athanor-pg_dump')";

    @Test
    void aBackupRunsPgDumpOnceAndVerifies() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("backup-run");
        Path bin = directory.resolve("bin");
        Path calls = loggingPgDump(bin, "exec " + Databases.clientBin().resolve("pg_dump") + " \"$@\"\n");
        Path config = TestConfig.on(source, directory).set("ATHANOR_PG_CLIENT_BIN", bin.toString()).write(directory);

        OpsRun run = OpsRun.of("backup", "run", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllLines(calls)).filteredOn(call -> !call.equals("--version"))
                .as("one dump").singleElement().asString().startsWith("--format=custom");
        awaitNone(source, OURS);
        String id = run.out().replaceAll("(?s)^Backup (\\S+):.*", "$1");
        OpsRun verify = OpsRun.of("backup", "verify", id, "--config", config.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
    }

    @Test
    void anInvalidConfigurationStartsNoDumpAndStoresNothing() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Path directory = TestPostgres.newDirectory("backup-run-invalid");
        Path bin = directory.resolve("bin");
        Path calls = loggingPgDump(bin, "exec " + Databases.clientBin().resolve("pg_dump") + " \"$@\"\n");
        Path config = TestConfig.on(source, directory).set("ATHANOR_PG_CLIENT_BIN", bin.toString())
                .replace("daily: 7", "daily: -1").write(directory);

        OpsRun run = OpsRun.of("backup", "run", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(OpsFailure.CONFIG);
        assertThat(run.err()).contains("backup.retention.daily").contains("must be greater than or equal to 0");
        assertThat(calls).as("pg_dump never run, not even for its version").doesNotExist();
        awaitNone(source, OURS);
        Path backups = directory.resolve("backups");
        if (Files.exists(backups)) {
            try (Stream<Path> files = Files.list(backups)) {
                assertThat(files).as("no archive, manifest or failure record").isEmpty();
            }
        }
    }

    @Test
    void aPgDumpThatFailsFailsTheBackupCleanly() throws Exception {
        TestDatabase source = TestPostgres.shared().createDatabase();
        Databases.fillWithContent(source);
        Path directory = TestPostgres.newDirectory("backup-run-fails");
        Path bin = directory.resolve("bin");
        Path real = Databases.clientBin().resolve("pg_dump");
        Path calls = loggingPgDump(bin, "if [ \"$1\" = --version ]; then exec " + real + " --version; fi\n"
                + "head -c 100000 /dev/zero\n"
                + "echo 'pg_dump: error: the disk is on fire' >&2\n"
                + "exit 1\n");
        Path config = TestConfig.on(source, directory).set("ATHANOR_PG_CLIENT_BIN", bin.toString()).write(directory);

        OpsRun run = OpsRun.of("backup", "run", "--config", config.toString());

        assertThat(Files.readAllLines(calls)).filteredOn(call -> !call.equals("--version")).as("one dump").hasSize(1);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("the disk is on fire").contains("nothing was kept");
        awaitNone(source, OURS);
        try (Stream<Path> files = Files.list(directory.resolve("backups"))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .singleElement().asString().endsWith("-manual.failed.json");
        }
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
