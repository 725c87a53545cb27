package dev.athanor.ops.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.backup.testing.TestS3;
import dev.athanor.ops.testing.DocumentedSteps;
import dev.athanor.ops.testing.MachinePostgres;
import dev.athanor.ops.testing.TlsFiles;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "Disaster recovery without Athanor" steps of docs/pitr.md, run as written (only their first block, the
 * variables, is the test's own) against a repository that pgBackRest itself built, without Athanor: a PostgreSQL 15
 * cluster archiving its WAL with {@code pgbackrest archive-push} to S3Proxy over HTTPS, a full backup, rows written
 * before and after a moment, and a table dropped after it. Restored to that moment, the database holds exactly the
 * rows up to it and the dropped table.
 */
class PitrRecoveryStepsTest {

    private static final Path PGBACKREST = Path.of("/usr/bin/pgbackrest");
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final String SITE_PASSWORD = "site-secret";
    private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'+00'")
            .withZone(ZoneOffset.UTC);

    @Test
    void theDocumentedStepsRestoreTheDatabaseToTheMomentWithPgBackRestAndThePassphraseAlone() throws Exception {
        assumeTrue(Files.isExecutable(PGBACKREST), "pgbackrest is not installed (./dev test installs it)");
        assumeTrue(MachinePostgres.root(), "the documented steps run as root (runuser -u postgres)");
        DocumentedSteps steps = DocumentedSteps.of("pitr.md", "## Disaster recovery without Athanor");
        Path directory = TestPostgres.newDirectory("pitr-steps");
        TlsFiles tls = TlsFiles.forLocalhost(directory.resolve("tls"));
        Path restoreDirectory = Files.createDirectories(directory.resolve("restore"));
        Path dataDirectory = restoreDirectory.resolve("restored");
        MachinePostgres source = null;
        Timestamp moment;
        TestS3 s3 = TestS3.startCheckingSignatures(tls.keyStore(), TlsFiles.PASSWORD);
        try {
            Path sourceConfig = directory.resolve("source-pgbackrest.conf");
            source = MachinePostgres.create("pitr-source", "archive_mode = on",
                    "archive_command = '" + PGBACKREST + " --config=" + sourceConfig + " --stanza=athanor"
                            + " archive-push %p'");
            writeSourceConfig(sourceConfig, s3, tls, source, directory);
            source.start();
            try (Connection connection = source.connect("postgres");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE athanor LOGIN PASSWORD '" + SITE_PASSWORD + "'");
                statement.execute("CREATE DATABASE athanor OWNER athanor");
            }
            try (Connection site = source.connect("athanor", "athanor", SITE_PASSWORD);
                    Statement statement = site.createStatement()) {
                statement.execute("CREATE TABLE marks (id int PRIMARY KEY,"
                        + " written_at timestamptz NOT NULL DEFAULT clock_timestamp())");
                statement.execute("CREATE TABLE lessons (id int PRIMARY KEY, title text NOT NULL)");
                statement.execute("INSERT INTO lessons SELECT i, 'lesson ' || i FROM generate_series(1, 100) i");
                pgbackrest(sourceConfig, "stanza-create");
                pgbackrest(sourceConfig, "--type=full", "backup");

                for (int id = 1; id <= 5; id++) {
                    statement.execute("INSERT INTO marks (id) VALUES (" + id + ")");
                    Thread.sleep(50);
                }
                moment = nextWholeSecond(statement);
                awaitClockPast(statement, moment);
                for (int id = 6; id <= 10; id++) {
                    statement.execute("INSERT INTO marks (id) VALUES (" + id + ")");
                }
                statement.execute("DROP TABLE lessons");
            }
            archiveEverything(source);

            int port = TestPostgres.freePort();
            DocumentedSteps.Run run = DocumentedSteps.run(variables(s3, tls, restoreDirectory, dataDirectory,
                    MOMENT.format(moment.toInstant()), port), steps.blocks().subList(1, steps.blocks().size()),
                    restoreDirectory, Map.of(), Duration.ofSeconds(90));

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("wal archive min/max").contains("full backup");
            assertThat(restoreDirectory.resolve("athanor-restored.dump")).isNotEmptyFile();
            try (Connection restored = MachinePostgres.connect(port, "athanor", "athanor", SITE_PASSWORD);
                    Statement statement = restored.createStatement()) {
                assertThat(ids(statement, "SELECT id FROM marks ORDER BY id")).as("the rows up to the moment")
                        .containsExactly(1, 2, 3, 4, 5);
                assertThat(ids(statement, "SELECT count(*) FROM lessons")).as("the table dropped after it")
                        .containsExactly(100);
                assertThat(ids(statement, "SELECT pg_is_in_recovery()::int")).containsExactly(0);
            }
        } finally {
            try {
                MachinePostgres.stop(dataDirectory);
            } finally {
                // S3 last: the source archives its last WAL segment as it stops, and with the repository gone
                // pgbackrest's archive-push hung until pg_ctl stop gave up (when the test ran long enough for the
                // background writer to have logged a WAL record since the last switch).
                try {
                    if (source != null) {
                        source.close();
                    }
                } finally {
                    s3.close();
                }
            }
        }
    }

    /** The first block as the test fills it in: its repository, moment and directories, and its CA. */
    private static String variables(TestS3 s3, TlsFiles tls, Path restoreDirectory, Path dataDirectory,
            String moment, int port) throws Exception {
        Path logs = Files.createDirectories(restoreDirectory.resolve("pgbackrest-log"));
        Path locks = Files.createDirectories(restoreDirectory.resolve("pgbackrest-lock"));
        MachinePostgres.giveToClusterUser(logs, locks);
        return String.join("\n",
                "S3_HOST=localhost",
                "S3_PORT=" + s3.secureEndpoint().getPort(),
                "S3_CA_FILE=" + tls.caFile(),
                "S3_REGION=us-east-1",
                "S3_BUCKET=" + TestS3.BUCKET,
                "S3_KEY=" + TestS3.ACCESS_KEY + " S3_KEY_SECRET=" + TestS3.SECRET_KEY,
                "S3_URI_STYLE=path",
                "PASSPHRASE='" + PASSPHRASE + "'",
                "CONF=" + restoreDirectory.resolve("etc/pgbackrest.conf"),
                "TARGET='" + moment + "'",
                "DATA_DIR=" + dataDirectory,
                "export PGHOST=127.0.0.1 PGPORT=" + port + " PGUSER=athanor PGPASSWORD=" + SITE_PASSWORD
                        + " PGDATABASE=athanor",
                "# the test's own: pgBackRest's log and locks out of /var/log and /tmp",
                "export PGBACKREST_LOG_PATH=" + logs + " PGBACKREST_LOCK_PATH=" + locks);
    }

    /** The old server's configuration, as a site's would be (the repository as the docs describe it). */
    private static void writeSourceConfig(Path file, TestS3 s3, TlsFiles tls, MachinePostgres source, Path directory)
            throws Exception {
        Path logs = Files.createDirectories(directory.resolve("source-log"));
        Path locks = Files.createDirectories(directory.resolve("source-lock"));
        Files.writeString(file, String.join("\n",
                "[global]",
                "repo1-type=s3",
                "repo1-s3-endpoint=localhost",
                "repo1-storage-port=" + s3.secureEndpoint().getPort(),
                "repo1-storage-ca-file=" + tls.caFile(),
                "repo1-s3-bucket=" + TestS3.BUCKET,
                "repo1-s3-region=us-east-1",
                "repo1-s3-key=" + TestS3.ACCESS_KEY,
                "repo1-s3-key-secret=" + TestS3.SECRET_KEY,
                "repo1-s3-uri-style=path",
                "repo1-path=/pitr",
                "repo1-cipher-type=aes-256-cbc",
                "repo1-cipher-pass=" + PASSPHRASE,
                "log-path=" + logs,
                "lock-path=" + locks,
                "log-level-console=warn",
                "start-fast=y",
                "",
                "[athanor]",
                "pg1-path=" + source.dataDirectory(),
                "pg1-port=" + source.port(),
                "pg1-socket-path=" + source.socketDirectory(),
                "pg1-user=" + source.superuser(),
                ""));
        MachinePostgres.giveToClusterUser(file, logs, locks);
    }

    private static void pgbackrest(Path config, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(PGBACKREST.toString(), "--config=" + config,
                "--stanza=athanor"));
        command.addAll(List.of(arguments));
        MachinePostgres.run(Duration.ofSeconds(60), command.toArray(String[]::new));
    }

    /** The next whole second of the server's clock: every row written so far was committed before it. */
    private static Timestamp nextWholeSecond(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery(
                "SELECT date_trunc('second', clock_timestamp()) + interval '1 second'")) {
            rows.next();
            return rows.getTimestamp(1);
        }
    }

    private static void awaitClockPast(Statement statement, Timestamp moment) throws Exception {
        while (true) {
            try (ResultSet rows = statement.executeQuery("SELECT clock_timestamp() > timestamptz '"
                    + moment.toInstant() + "' + interval '300 milliseconds'")) {
                rows.next();
                if (rows.getBoolean(1)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    /** Switches to a new WAL segment and waits until the one holding the last writes is archived. */
    private static void archiveEverything(MachinePostgres source) throws Exception {
        try (Connection connection = source.connect("postgres"); Statement statement = connection.createStatement()) {
            String segment;
            try (ResultSet rows = statement.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                rows.next();
                segment = rows.getString(1);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT coalesce(last_archived_wal, ''), failed_count FROM pg_stat_archiver")) {
                    rows.next();
                    if (rows.getString(1).compareTo(segment) >= 0) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("WAL segment " + segment + " was not archived in 30 s"
                                + " (last archived: " + rows.getString(1) + ", failures: " + rows.getLong(2) + ")");
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<Integer> ids(Statement statement, String sql) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
        }
        return ids;
    }
}
