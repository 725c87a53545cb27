package dev.athanor.platform.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL cluster in a directory of its own, for a newcomer's machine and for tests.
 *
 * <p>The site and the {@code ops} command share it: whichever needs it first starts it, the other attaches to the
 * running server (found through {@code postmaster.pid}), and whoever releases it last, with no other client connected,
 * stops it. A file lock serialises these decisions between processes. The server listens on 127.0.0.1 only, on a free
 * port, and requires the password that was generated when the cluster was created.
 *
 * <p>Layout of {@code directory}: {@code pgdata/} (the cluster), {@code password}, {@code postgres.log}, and
 * {@code binaries/} where bundled PostgreSQL programs are unpacked. Point-in-time recovery ({@code ops pitr setup})
 * adds {@code port}, the port it always starts on from then on, and {@code socket/}, a Unix socket directory only
 * the cluster's OS user may enter, through which pgBackRest reaches the server.
 */
public final class EmbeddedPostgres {

    public static final String USER = "athanor";
    static final String DATABASE = "athanor";

    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Object JVM_LOCK = new Object();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final int requestedPort;
    private final Optional<Path> binDirectory;
    private final UnprivilegedUser runAs;

    /**
     * @param directory where the cluster, its password and its log live
     * @param port the port to listen on when starting, or 0 for any free port
     * @param binDirectory PostgreSQL's programs, or empty to use the bundled ones (or the machine's)
     */
    public EmbeddedPostgres(Path directory, int port, Optional<Path> binDirectory) {
        this.directory = directory.toAbsolutePath().normalize();
        this.requestedPort = port;
        this.binDirectory = binDirectory;
        this.runAs = UnprivilegedUser.forCluster(this.directory);
    }

    /**
     * Unpacks the PostgreSQL programs bundled for this platform into {@code cacheDirectory} (once) and returns their
     * directory, for callers that run many clusters from one copy.
     */
    public static Path bundledBinaries(Path cacheDirectory) throws EmbeddedPostgresException {
        return PostgresBinaries.locate(Optional.empty(), cacheDirectory);
    }

    /** The cluster's data directory (PGDATA). */
    public Path dataDirectory() {
        return directory.resolve("pgdata");
    }

    /** The Unix socket directory the server listens in once {@link #fixForArchiving} has made it. */
    public Path socketDirectory() {
        return directory.resolve("socket");
    }

    /** The port the server always starts on, when one is configured or fixed by {@link #fixForArchiving}. */
    public Optional<Integer> fixedPort() throws EmbeddedPostgresException {
        if (requestedPort != 0) {
            return Optional.of(requestedPort);
        }
        Path file = directory.resolve("port");
        try {
            return Files.exists(file) ? Optional.of(Integer.parseInt(Files.readString(file).strip()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            throw new EmbeddedPostgresException("could not read the fixed port in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the server start on {@code port} from now on, listening also in {@link #socketDirectory()}, as
     * pgBackRest needs; takes effect at the next start. Does nothing that is already so.
     */
    public void fixForArchiving(int port) throws EmbeddedPostgresException {
        try {
            Path sockets = socketDirectory();
            if (!Files.isDirectory(sockets)) {
                Files.createDirectories(sockets);
                Files.setPosixFilePermissions(sockets, PosixFilePermissions.fromString("rwx------"));
                runAs.takeOwnership(sockets);
            }
            if (fixedPort().filter(fixed -> fixed == port).isEmpty()) {
                Files.writeString(directory.resolve("port"), port + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("could not fix the port and socket in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /** The superuser's generated password (the cluster's user is {@value #USER}). */
    public String superuserPassword() throws EmbeddedPostgresException {
        try {
            return password();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("could not read the password in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /** The words that run a command as the cluster's OS user (none when that is the current user). */
    public List<String> commandPrefix() {
        return runAs.prefix();
    }

    /** The directory of the PostgreSQL programs this cluster runs with, unpacked first when bundled. */
    public Path binaries() throws EmbeddedPostgresException {
        return PostgresBinaries.locate(binDirectory, directory.resolve("binaries"));
    }

    /**
     * Makes sure the server is running, creating the cluster on first use, and returns how to reach it. Closing the
     * returned server releases it (see the class description).
     */
    public DatabaseServer acquire() throws EmbeddedPostgresException {
        synchronized (JVM_LOCK) {
            try (DirectoryLock lock = lock()) {
                Path bin = PostgresBinaries.locate(binDirectory, directory.resolve("binaries"));
                String password = password();
                if (!Files.exists(dataDirectory().resolve("PG_VERSION"))) {
                    initdb(bin, password);
                }
                int port = runningPort(password).orElseGet(() -> -1);
                boolean started = port < 0;
                if (started) {
                    port = start(bin);
                }
                ensureDatabase(port, password, started);
                String url = jdbcUrl(port, DATABASE);
                LOGGER.info("{} embedded PostgreSQL on 127.0.0.1:{} with its data in {}",
                        started ? "Started" : "Using the running", port, dataDirectory());
                int finalPort = port;
                return new DatabaseServer(url, USER, password,
                        "embedded PostgreSQL at 127.0.0.1:" + port + " (" + dataDirectory() + ")",
                        () -> release(bin, finalPort, password));
            } catch (IOException e) {
                throw new EmbeddedPostgresException("could not use " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Stops the server now, whoever else is connected. Does nothing when it is not running (a server killed without
     * a shutdown leaves its pid file behind: the next start recovers).
     */
    public void stop() throws EmbeddedPostgresException {
        synchronized (JVM_LOCK) {
            try (DirectoryLock lock = lock()) {
                if (PostmasterPid.read(dataDirectory()).filter(PostmasterPid::processAlive).isPresent()) {
                    Path bin = PostgresBinaries.locate(binDirectory, directory.resolve("binaries"));
                    pgCtlStop(bin);
                }
            } catch (IOException e) {
                throw new EmbeddedPostgresException("could not use " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    private void release(Path bin, int port, String password) {
        synchronized (JVM_LOCK) {
            try (DirectoryLock lock = lock()) {
                if (runningPort(password).isEmpty()) {
                    return;
                }
                List<String> others = otherClients(port, password);
                // a client that has just closed its connections may still be listed while its backend exits
                for (int wait = 0; !others.isEmpty() && wait < 10; wait++) {
                    Thread.sleep(100);
                    others = otherClients(port, password);
                }
                if (!others.isEmpty()) {
                    LOGGER.info("Leaving the embedded PostgreSQL running for {} other connection(s): {}",
                            others.size(), String.join(", ", others));
                    return;
                }
                pgCtlStop(bin);
                LOGGER.info("Stopped the embedded PostgreSQL");
            } catch (IOException | EmbeddedPostgresException | SQLException e) {
                LOGGER.warn("Could not stop the embedded PostgreSQL in {}: {}", directory, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private DirectoryLock lock() throws IOException {
        Files.createDirectories(directory);
        runAs.takeOwnership(directory);
        FileChannel channel = FileChannel.open(directory.resolve(".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.lock();
            return new DirectoryLock(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private String password() throws IOException {
        Path file = directory.resolve("password");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temporary = directory.resolve("password.tmp");
        Files.writeString(temporary, password + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        runAs.takeOwnership(temporary);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    private void initdb(Path bin, String password) throws EmbeddedPostgresException {
        LOGGER.info("Creating the embedded PostgreSQL cluster in {}", dataDirectory());
        run(List.of(bin.resolve("initdb").toString(), "--pgdata=" + dataDirectory(), "--username=" + USER,
                "--pwfile=" + directory.resolve("password"), "--auth=scram-sha-256", "--encoding=UTF8",
                "--no-locale", "--no-instructions"), Duration.ofMinutes(2), "initdb");
    }

    private int start(Path bin) throws EmbeddedPostgresException {
        Optional<Integer> fixed = fixedPort();
        int port = fixed.isPresent() ? fixed.get() : freePort();
        String sockets = Files.isDirectory(socketDirectory()) ? socketDirectory().toString() : "''";
        String options = String.join(" ", "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + sockets, "-c", "max_connections=50", "-c", "shared_buffers=64MB");
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "start", "--pgdata=" + dataDirectory(),
                    "--log=" + directory.resolve("postgres.log"), "--wait",
                    "--timeout=" + START_TIMEOUT.toSeconds(), "--silent", "-o", options),
                    START_TIMEOUT.plusSeconds(10), "pg_ctl start");
        } catch (EmbeddedPostgresException e) {
            throw new EmbeddedPostgresException(e.getMessage() + logTail(), e);
        }
        return port;
    }

    private void pgCtlStop(Path bin) throws EmbeddedPostgresException {
        run(List.of(bin.resolve("pg_ctl").toString(), "stop", "--pgdata=" + dataDirectory(), "--mode=fast",
                "--wait", "--timeout=60", "--silent"), Duration.ofSeconds(70), "pg_ctl stop");
    }

    /** The port of a server already running on this cluster, if one answers. */
    private Optional<Integer> runningPort(String password) throws EmbeddedPostgresException {
        Optional<PostmasterPid> pid = PostmasterPid.read(dataDirectory());
        if (pid.isEmpty() || !pid.get().processAlive()) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = dataSource(pid.get().port(), "postgres", password).getConnection()) {
                return Optional.of(pid.get().port());
            } catch (SQLException e) {
                last = e;
                if (!pid.get().processAlive()) {
                    return Optional.empty();
                }
                ClusterProgram.pause(Duration.ofMillis(200));
            }
        }
        throw new EmbeddedPostgresException("a PostgreSQL process (pid " + pid.get().pid() + ") holds "
                + dataDirectory() + " but does not answer on port " + pid.get().port()
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private void ensureDatabase(int port, String password, boolean started) throws EmbeddedPostgresException {
        try (Connection connection = dataSource(port, "postgres", password).getConnection();
                Statement statement = connection.createStatement()) {
            if (started) {
                // PostgreSQL's checkpointer, started during the startup's recovery, first sleeps a whole
                // checkpoint_timeout without heeding archive_timeout; a reload wakes it to the right schedule.
                statement.execute("SELECT pg_reload_conf()");
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rows.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("could not create the database " + DATABASE + ": "
                    + e.getMessage(), e);
        }
    }

    /** The other clients' connections, each as its application name and state, for the log. */
    private List<String> otherClients(int port, String password) throws SQLException {
        try (Connection connection = dataSource(port, "postgres", password).getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT coalesce(nullif(application_name, ''), 'unnamed')"
                        + " || ' (' || coalesce(state, 'starting') || ')' FROM pg_stat_activity"
                        + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() ORDER BY 1")) {
            List<String> clients = new ArrayList<>();
            while (rows.next()) {
                clients.add(rows.getString(1));
            }
            return clients;
        }
    }

    private void run(List<String> command, Duration timeout, String what) throws EmbeddedPostgresException {
        ClusterProgram.run(runAs.prefix(), command, timeout, what);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("postgres.log"), StandardCharsets.UTF_8);
            return "; the end of " + directory.resolve("postgres.log") + ": "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static PGSimpleDataSource dataSource(int port, String database, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl(port, database));
        dataSource.setUser(USER);
        dataSource.setPassword(password);
        dataSource.setConnectTimeout(5);
        dataSource.setApplicationName("athanor-embedded");
        return dataSource;
    }

    private static int freePort() throws EmbeddedPostgresException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("could not find a free port: " + e.getMessage(), e);
        }
    }

    /** Holds the directory's lock file until closed; closing the channel releases the lock. */
    private record DirectoryLock(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
