package dev.athanor.ops.testing;

import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A fresh cluster of the machine's PostgreSQL 15 ({@code /usr/lib/postgresql/15/bin}), as a new server has one: run
 * by the {@code postgres} OS user when the tests run as root (the current user otherwise), whose name is also the
 * superuser's; peer authentication on its socket, passwords over TCP on 127.0.0.1. Stopped by {@link #close()}.
 */
public final class MachinePostgres implements AutoCloseable {

    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path directory;
    private final int port;
    private final String password;

    private MachinePostgres(Path directory, int port, String password) {
        this.directory = directory;
        this.port = port;
        this.password = password;
    }

    /**
     * Creates a cluster in {@code NAME-.../pgdata} under {@code target/test-postgres}, listening on a free port with
     * its socket in {@code socket/} beside it; {@code settings} are added to its postgresql.conf. Not started.
     */
    public static MachinePostgres create(String name, String... settings) throws IOException, InterruptedException {
        Path directory = TestPostgres.newDirectory(name);
        String password = UUID.randomUUID().toString();
        Path passwordFile = directory.resolve("password");
        Files.writeString(passwordFile, password + "\n");
        Files.createDirectories(directory.resolve("socket"));
        giveToClusterUser(directory, directory.resolve("socket"), passwordFile);
        run(Duration.ofMinutes(1), BIN.resolve("initdb").toString(), "--pgdata=" + directory.resolve("pgdata"),
                "--username=" + osUser(), "--pwfile=" + passwordFile, "--auth-local=peer",
                "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-instructions");
        int port = TestPostgres.freePort();
        List<String> lines = new ArrayList<>(List.of("port = " + port, "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + directory.resolve("socket") + "'", "max_connections = 30",
                "shared_buffers = 32MB", "fsync = off"));
        lines.addAll(List.of(settings));
        Files.writeString(directory.resolve("pgdata/postgresql.conf"), "\n" + String.join("\n", lines) + "\n",
                StandardOpenOption.APPEND);
        return new MachinePostgres(directory, port, password);
    }

    /** Starts the server and waits until it accepts connections. */
    public MachinePostgres start() throws IOException, InterruptedException {
        run(Duration.ofSeconds(70), BIN.resolve("pg_ctl").toString(), "start", "--pgdata=" + dataDirectory(),
                "--log=" + directory.resolve("postgres.log"), "--wait", "--timeout=60", "--silent");
        return this;
    }

    public Path directory() {
        return directory;
    }

    public Path dataDirectory() {
        return directory.resolve("pgdata");
    }

    public Path socketDirectory() {
        return directory.resolve("socket");
    }

    public int port() {
        return port;
    }

    /** The superuser (named as the OS user that runs the cluster) and its password. */
    public String superuser() {
        return osUser();
    }

    public String password() {
        return password;
    }

    /** A connection over TCP as the superuser. */
    public Connection connect(String database) throws SQLException {
        return connect(database, superuser(), password);
    }

    /** A connection over TCP to any cluster listening on {@code port} of 127.0.0.1. */
    public static Connection connect(int port, String database, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, user, password);
    }

    public Connection connect(String database, String user, String userPassword) throws SQLException {
        return connect(port, database, user, userPassword);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop(dataDirectory());
    }

    /** Stops the server of any cluster run by the cluster user in {@code dataDirectory}; nothing when none runs. */
    public static void stop(Path dataDirectory) throws IOException, InterruptedException {
        if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            run(Duration.ofSeconds(70), BIN.resolve("pg_ctl").toString(), "stop", "--pgdata=" + dataDirectory,
                    "--mode=fast", "--wait", "--timeout=60", "--silent");
        }
    }

    /** Runs {@code command} as the cluster's OS user; fails with its output unless it exits 0 within the timeout. */
    public static String run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("machine-postgres", ".log");
        try {
            Process process = new ProcessBuilder(asClusterUser(command)).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + ": " + Files.readString(output));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** {@code command} run as the cluster's OS user: through {@code runuser -u postgres --} when we are root. */
    public static List<String> asClusterUser(String... command) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    /** Hands files to the cluster's OS user (when we are root), private to it. */
    public static void giveToClusterUser(Path... paths) throws IOException {
        if (!root()) {
            return;
        }
        UserPrincipalLookupService users = paths[0].getFileSystem().getUserPrincipalLookupService();
        for (Path path : paths) {
            Files.setOwner(path, users.lookupPrincipalByName("postgres"));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path)
                    ? "rwx------" : "rw-------"));
        }
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String osUser() {
        return root() ? "postgres" : System.getProperty("user.name");
    }
}
