package dev.athanor.ops.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.backup.PostgresClient;
import dev.athanor.backup.pitr.Cluster;
import dev.athanor.backup.pitr.RestoredServer;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.PitrFixture;
import dev.athanor.platform.db.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops pitr} end to end on the embedded default, with the repository in a real S3-compatible server over HTTPS:
 * setup (twice), a restore to one second before a dropped table while markers are written every 100 ms, a server
 * killed with SIGKILL restored to the end of the archived log, and a repository that holds no plaintext.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PointInTimeRecoveryTest {

    private static final Duration ARCHIVE_TIMEOUT = Duration.ofSeconds(2);
    private static final String PLAINTEXT = "plaintext-marker-7f3c";

    @TempDir
    static Path temp;

    private static PitrFixture site;
    private static MarkerWriter writer;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pgbackrest")), "pgbackrest is not installed (./dev test"
                + " installs it)");
        site = PitrFixture.create(temp, ARCHIVE_TIMEOUT.toSeconds() + " seconds", config -> config);
        OpsRun setup = site.ops("pitr", "setup", "--yes");
        assertThat(setup.exitCode()).as(setup.err() + setup.out()).isZero();
        assertThat(setup.out()).contains("set archive_mode = on", "took the first full backup");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (writer != null) {
            writer.close();
        }
        if (site != null) {
            site.close();
        }
    }

    @Test
    @Order(1)
    void aSecondSetupChangesNothing() throws Exception {
        Path configFile = site.work().resolve("data/pitr/pgbackrest.conf");
        String before = Files.readString(configFile);

        OpsRun again = site.ops("pitr", "setup", "--yes", "--json");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("\"state\":\"unchanged\"", "\"restarted\":false");
        assertThat(Files.readString(configFile)).isEqualTo(before);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(configFile)))
                .isEqualTo("rw-------");
    }

    @Test
    @Order(2)
    void aMomentOutsideTheWindowIsRefused() {
        OpsRun restore = site.ops("pitr", "restore", "--to-time", "2001-01-01 00:00:00", "--data-dir",
                temp.resolve("never").toString());

        assertThat(restore.exitCode()).isEqualTo(65);
        assertThat(restore.err()).contains("outside the recovery window");
        assertThat(temp.resolve("never")).doesNotExist();
    }

    @Test
    @Order(2)
    void aDirectoryInUseAndAnUnconfirmedReplacementAreRefused() throws Exception {
        Path used = Files.createDirectories(temp.resolve("used"));
        Files.writeString(used.resolve("keep.txt"), "mine");

        OpsRun intoUsed = site.ops("pitr", "restore", "--latest", "--data-dir", used.toString());
        OpsRun unconfirmed = site.ops("pitr", "restore", "--latest", "--into-embedded");

        assertThat(intoUsed.exitCode()).isEqualTo(65);
        assertThat(intoUsed.err()).contains("is not empty");
        assertThat(used.resolve("keep.txt")).hasContent("mine");
        assertThat(unconfirmed.exitCode()).as("no terminal to ask on").isEqualTo(65);
        assertThat(unconfirmed.err()).contains("nothing was restored");
        assertThat(site.embedded().dataDirectory().resolveSibling("pgdata.before-restore")).doesNotExist();
    }

    @Test
    @Order(3)
    void restoresToOneSecondBeforeADroppedTable() throws Exception {
        Instant target;
        try (Connection connection = site.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE markers (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT"
                    + " clock_timestamp(), note text NOT NULL)");
            statement.execute("CREATE TABLE precious AS SELECT n AS id, '" + PLAINTEXT + "' AS secret"
                    + " FROM generate_series(1, 100) n");
            writer = MarkerWriter.start(site.connect(), PLAINTEXT);
            writer.awaitMarkers(30);
            Instant drop = instant(statement, "SELECT clock_timestamp()");
            statement.execute("DROP TABLE precious");
            target = drop.minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            writer.awaitMarkers(writer.count() + 20);
            PitrFixture.awaitArchived(statement);
        }
        Path restored = temp.resolve("restored");

        OpsRun restore = site.ops("pitr", "restore", "--to-time", target.toString(), "--data-dir",
                restored.toString());

        assertThat(restore.exitCode()).as(restore.err() + restore.out()).isZero();
        assertThat(restore.out()).contains("Restored to", "pg_ctl -D " + restored);
        long expected;
        try (Connection live = site.connect(); Statement statement = live.createStatement()) {
            expected = count(statement, "SELECT count(*) FROM markers WHERE at <= '" + target + "'");
        }
        assertThat(expected).isGreaterThan(10);
        try (RestoredServer server = RestoredServer.recover(restoredCluster(restored), Duration.ofMinutes(1))) {
            Cluster cluster = server.cluster();
            assertThat(cluster.sql("athanor", "SELECT count(*) FROM markers")).isEqualTo(Long.toString(expected));
            assertThat(cluster.sql("athanor", "SELECT count(*) FROM markers WHERE at > '" + target + "'"))
                    .isEqualTo("0");
            assertThat(cluster.sql("athanor", "SELECT count(*) FROM precious")).isEqualTo("100");
        }
    }

    @Test
    @Order(4)
    void aKilledServerRestoredToTheLatestLosesAtMostTheArchiveTimeout() throws Exception {
        writer.awaitMarkers(writer.count() + 30);
        EmbeddedPostgres embedded = site.embedded();
        long postmaster = Long.parseLong(Files.readAllLines(embedded.dataDirectory().resolve("postmaster.pid"))
                .get(0).strip());
        Instant lastCommitted = writer.lastCommitted();
        new ProcessBuilder("kill", "-9", Long.toString(postmaster)).start().waitFor();
        writer.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(postmaster).isEmpty());
        Instant beforeKill = writer.lastCommitted();

        OpsRun restore = site.ops("pitr", "restore", "--latest", "--into-embedded", "--yes");

        assertThat(restore.exitCode()).as(restore.err() + restore.out()).isZero();
        assertThat(restore.out()).contains("kept in");
        try (Connection connection = site.connect(); Statement statement = connection.createStatement()) {
            Instant newest = instant(statement, "SELECT max(at) FROM markers");
            Duration lost = Duration.between(newest, beforeKill);
            assertThat(beforeKill).isAfterOrEqualTo(lastCommitted);
            assertThat(lost).as("data lost by the kill").isLessThanOrEqualTo(ARCHIVE_TIMEOUT.plusSeconds(1));
            assertThat(count(statement, "SELECT count(*) FROM precious")).as("the drop is replayed too")
                    .isEqualTo(-1);
        } catch (SQLException e) {
            assertThat(e.getMessage()).contains("\"precious\" does not exist");
        }
    }

    @Test
    @Order(5)
    void theRepositoryHoldsNoPlaintext() {
        Map<String, byte[]> objects = site.s3().objects("pitr/");

        assertThat(objects.keySet()).anyMatch(name -> name.startsWith("pitr/archive/athanor/15-1/"))
                .anyMatch(name -> name.startsWith("pitr/backup/athanor/") && name.contains("/pg_data/"));
        objects.forEach((name, bytes) -> {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text).as(name).doesNotContain(PLAINTEXT).doesNotContain("markers");
            if (name.contains("/pg_data/") || name.startsWith("pitr/archive/athanor/15-1/0")) {
                assertThat(text).as(name + " is encrypted (OpenSSL's salted format)").startsWith("Salted__");
            }
        });
    }

    private static Cluster restoredCluster(Path restored) throws Exception {
        EmbeddedPostgres embedded = site.embedded();
        Path sockets = Files.createDirectories(temp.resolve("restored-socket"));
        Files.setPosixFilePermissions(sockets, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        return new Cluster("the restored copy", restored, sockets, SiteRestore.freePort(), EmbeddedPostgres.USER,
                Optional.of(embedded.superuserPassword()), embedded.commandPrefix(), embedded.binaries(),
                PostgresClient.locate(Optional.empty()).binDirectory(), true);
    }


    private static Instant instant(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getTimestamp(1).toInstant();
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String text(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** Inserts a marker row every 100 ms on its own connection, remembering the last one committed. */
    private static final class MarkerWriter implements AutoCloseable {
        private final Connection connection;
        private final Thread thread;
        private final AtomicReference<Instant> lastCommitted = new AtomicReference<>(Instant.EPOCH);
        private volatile long count;
        private volatile boolean stopped;

        private MarkerWriter(Connection connection, String note) {
            this.connection = connection;
            this.thread = new Thread(() -> write(note), "markers");
        }

        static MarkerWriter start(Connection connection, String note) {
            MarkerWriter writer = new MarkerWriter(connection, note);
            writer.thread.start();
            return writer;
        }

        private void write(String note) {
            try (var insert = connection.prepareStatement("INSERT INTO markers (note) VALUES (?) RETURNING at")) {
                while (!stopped) {
                    insert.setString(1, note);
                    try (ResultSet rows = insert.executeQuery()) {
                        rows.next();
                        Timestamp at = rows.getTimestamp(1);
                        lastCommitted.set(at.toInstant());
                        count++;
                    }
                    Thread.sleep(100);
                }
            } catch (SQLException | InterruptedException e) {
                stopped = true; // the server was killed, or the test is over
            }
        }

        long count() {
            return count;
        }

        Instant lastCommitted() {
            return lastCommitted.get();
        }

        void awaitMarkers(long atLeast) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count >= atLeast);
        }

        @Override
        public void close() throws Exception {
            stopped = true;
            thread.join(10_000);
            connection.close();
        }
    }
}
