package dev.athanor.testing;

import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.platform.db.EmbeddedPostgresException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL for tests, from the same bundled binaries and the same {@link EmbeddedPostgres} as the site's
 * embedded default. One shared cluster per test JVM hands each test class a fresh database; tests that need to stop
 * and start the server get a dedicated one. Every cluster lives under {@code target/test-postgres} and is stopped when
 * the JVM exits, so no process outlives the test run.
 */
public final class TestPostgres {

    private static final Path ROOT = Path.of("target", "test-postgres").toAbsolutePath();
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;
    private static Path binaries;

    private final DatabaseServer server;

    private TestPostgres(DatabaseServer server) {
        this.server = server;
    }

    /** The JVM's shared cluster, started on first use. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            EmbeddedPostgres postgres = dedicated("shared", 0);
            try {
                shared = new TestPostgres(postgres.acquire());
            } catch (EmbeddedPostgresException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    /** A new, empty database on the shared cluster. */
    public TestDatabase createDatabase() {
        String name = "test_" + DATABASES.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = server.dataSource("tests").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        String url = server.jdbcUrl().substring(0, server.jdbcUrl().lastIndexOf('/') + 1) + name;
        return new TestDatabase(url, server.user(), server.password());
    }

    /**
     * A cluster of its own in {@code target/test-postgres/NAME-...}, not started; stopped at JVM exit if it runs.
     *
     * @param port a fixed port (so that a restart keeps it), or 0 for any
     */
    public static synchronized EmbeddedPostgres dedicated(String name, int port) {
        Path directory = ROOT.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
        EmbeddedPostgres postgres = new EmbeddedPostgres(directory, port, Optional.of(binaries()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.stop();
            } catch (EmbeddedPostgresException e) {
                System.err.println("Could not stop test PostgreSQL in " + directory + ": " + e.getMessage());
            }
        }, "stop-test-postgres"));
        return postgres;
    }

    /** A port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh directory under {@code target/} that other users may traverse (PostgreSQL may run as nobody). */
    public static Path newDirectory(String name) {
        try {
            return Files.createDirectories(ROOT.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled PostgreSQL programs, unpacked once for the whole test run. */
    public static synchronized Path binaries() {
        if (binaries == null) {
            try {
                binaries = EmbeddedPostgres.bundledBinaries(ROOT.resolve("binaries"));
            } catch (EmbeddedPostgresException e) {
                throw new IllegalStateException(e);
            }
        }
        return binaries;
    }
}
