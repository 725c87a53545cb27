package dev.athanor.ops.testing;

import dev.athanor.backup.testing.TestS3;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A site on the embedded default with point-in-time recovery into a real S3-compatible server over HTTPS (S3Proxy
 * with a test CA's certificate for {@code localhost}, as pgBackRest needs), for tests of {@code ops pitr}:
 * {@link #config()} is its config.yml; {@link #start()} runs its PostgreSQL as the site would.
 */
public final class PitrFixture implements AutoCloseable {

    private final Path work;
    private final TestS3 s3;
    private final Path config;
    private final List<DatabaseServer> held = new ArrayList<>();

    private PitrFixture(Path work, TestS3 s3, Path config) {
        this.work = work;
        this.s3 = s3;
        this.config = config;
    }

    /** A fresh site whose archive_timeout is {@code archiveTimeout} (such as "2 seconds"). */
    public static PitrFixture create(Path parent, String archiveTimeout, UnaryOperator<TestConfig> more)
            throws Exception {
        Path work = Files.createDirectories(parent.resolve("site"));
        for (Path path = work; path != null && path.startsWith(parent); path = path.getParent()) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        TlsFiles tls = TlsFiles.forLocalhost(work);
        TestS3 s3 = TestS3.startCheckingSignatures(tls.keyStore(), TlsFiles.PASSWORD);
        Path data = Files.createDirectories(work.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        TestConfig testConfig = new TestConfig()
                .set("ATHANOR_DATA_DIR", data.toString())
                .set("ATHANOR_LOG_DIR", data.resolve("logs").toString())
                .set("ATHANOR_BACKUP_DIR", data.resolve("backups").toString())
                .s3(s3.secureEndpoint())
                .set("ATHANOR_PITR_CA_FILE", tls.caFile().toString())
                .replace("archiveTimeout: 60 seconds", "archiveTimeout: " + archiveTimeout);
        return new PitrFixture(work, s3, more.apply(testConfig).write(work));
    }

    public Path config() {
        return config;
    }

    public Path work() {
        return work;
    }

    public TestS3 s3() {
        return s3;
    }

    /** {@code ops ARGS --config CONFIG}, in this JVM. */
    public OpsRun ops(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config");
        all.add(config.toString());
        return OpsRun.of(all.toArray(String[]::new));
    }

    /** The site's embedded cluster. */
    public EmbeddedPostgres embedded() {
        return new EmbeddedPostgres(work.resolve("data/postgres"), 0, Optional.empty());
    }

    /** Starts (or joins) the site's PostgreSQL, as the site would, and keeps it until {@link #close}. */
    public DatabaseServer start() throws Exception {
        DatabaseServer server = embedded().acquire();
        held.add(server);
        return server;
    }

    /** A connection to the site's database, started if need be. */
    public Connection connect() throws Exception {
        DatabaseServer server = start();
        return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
    }

    /** Switches to a new segment and waits until the one written so far is archived. */
    public static void awaitArchived(Statement statement) throws SQLException {
        String segment = text(statement, "SELECT pg_walfile_name(pg_current_wal_lsn())");
        statement.execute("SELECT pg_switch_wal()");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                text(statement, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(segment)
                        >= 0);
    }

    private static String text(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            held.forEach(DatabaseServer::close);
            embedded().stop();
        } finally {
            s3.close();
        }
    }
}
