package dev.athanor.testing;

import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.platform.db.EmbeddedPostgresException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A dedicated PostgreSQL with {@code archive_mode=on} whose {@code archive_command} copies each segment into a
 * directory, and fails while a flag file exists ({@link #failPushes}, {@link #letPushesThrough}): the archive's lag
 * and failed pushes without pgBackRest. Starts with archiving off until {@link #archive()}; {@link #close()} stops it.
 */
public final class ArchivingCluster implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Path archive;
    private final Path flag;
    private DatabaseServer server;

    private ArchivingCluster(EmbeddedPostgres postgres, Path archive, Path flag, DatabaseServer server) {
        this.postgres = postgres;
        this.archive = archive;
        this.flag = flag;
        this.server = server;
    }

    /** A new cluster, started, archiving off. */
    public static ArchivingCluster start(String name) throws IOException, EmbeddedPostgresException {
        Path archive = TestPostgres.newDirectory(name + "-wal-archive");
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path flag = TestPostgres.newDirectory(name + "-archive-flag").resolve("failing");
        EmbeddedPostgres postgres = TestPostgres.dedicated(name, 0);
        return new ArchivingCluster(postgres, archive, flag, postgres.acquire());
    }

    /** Turns archiving on (a restart). */
    public ArchivingCluster archive() throws SQLException, EmbeddedPostgresException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET archive_mode = on");
            statement.execute("ALTER SYSTEM SET archive_command = 'test ! -f " + flag + " && cp %p " + archive
                    + "/%f'");
        }
        server.close();
        postgres.stop();
        server = postgres.acquire();
        return this;
    }

    /** From now on every push fails (exit 1), until {@link #letPushesThrough()}. */
    public void failPushes() throws IOException {
        Files.writeString(flag, "fail\n");
    }

    public void letPushesThrough() throws IOException {
        Files.deleteIfExists(flag);
    }

    /** Writes a little and switches to a new segment, so that one is ready to archive (and the archiver wakes). */
    public void writeAndSwitch() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS filler (n INT)");
            statement.execute("INSERT INTO filler SELECT generate_series(1, 100)");
            statement.execute("SELECT pg_switch_wal()");
        }
    }

    /** Where the segments are copied to. */
    public Path archiveDirectory() {
        return archive;
    }

    public DatabaseServer server() {
        return server;
    }

    public TestDatabase database() {
        return new TestDatabase(server.jdbcUrl(), server.user(), server.password());
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
    }

    @Override
    public void close() throws EmbeddedPostgresException {
        server.close();
        postgres.stop();
    }
}
