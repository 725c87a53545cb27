package dev.athanor.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's PgBouncer (1.18) in transaction mode, as a process of the test on a free port of 127.0.0.1, in front of a
 * test PostgreSQL: every database of the server, SCRAM against a userlist, {@code poolSize} server connections per
 * database and user. Run as {@code nobody} when the tests run as root (PgBouncer refuses root). Stopped by its PID in
 * {@link #close()}.
 */
public final class TestPgBouncer implements AutoCloseable {

    public static final Path PROGRAM = Path.of("/usr/sbin/pgbouncer");

    private final Process process;
    private final int port;
    private final Path log;

    private TestPgBouncer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static boolean installed() {
        return Files.isExecutable(PROGRAM);
    }

    /** PgBouncer in front of the server on 127.0.0.1:{@code serverPort}, for {@code user} with {@code password}. */
    public static TestPgBouncer start(int serverPort, String user, String password, int poolSize)
            throws IOException, InterruptedException {
        return start(serverPort, user, password, poolSize, "");
    }

    /**
     * As {@link #start(int, String, String, int)}, offering its clients TLS with the managed server's certificate, as
     * a managed service's connection pool does (same host, same certificate).
     */
    public static TestPgBouncer startWithTls(int serverPort, String user, String password, int poolSize,
            Path certificate, Path key) throws IOException, InterruptedException {
        Path copies = TestPostgres.newDirectory("pgbouncer-tls");
        Path cert = Files.copy(certificate, copies.resolve("server.crt"));
        Path keyCopy = Files.copy(key, copies.resolve("server.key"));
        Files.setPosixFilePermissions(keyCopy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        return start(serverPort, user, password, poolSize, "client_tls_sslmode = require\nclient_tls_cert_file = "
                + cert + "\nclient_tls_key_file = " + keyCopy + "\n");
    }

    private static TestPgBouncer start(int serverPort, String user, String password, int poolSize, String extra)
            throws IOException, InterruptedException {
        Path dir = TestPostgres.newDirectory("pgbouncer");
        int port = TestPostgres.freePort();
        Files.writeString(dir.resolve("userlist.txt"), "\"" + user + "\" \"" + password + "\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), """
                [databases]
                * = host=127.0.0.1 port=%d
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = scram-sha-256
                auth_file = %s
                pool_mode = transaction
                default_pool_size = %d
                max_client_conn = 200
                ignore_startup_parameters = extra_float_digits
                """.formatted(serverPort, port, dir.resolve("userlist.txt"), poolSize) + extra);
        List<String> command = new ArrayList<>(List.of(PROGRAM.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.add(dir.resolve("pgbouncer.ini").toString());
        Path log = dir.resolve("pgbouncer.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestPgBouncer bouncer = new TestPgBouncer(process, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!bouncer.listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                bouncer.close();
                throw new IOException("pgbouncer did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return bouncer;
    }

    public int port() {
        return port;
    }

    /** A JDBC URL to {@code database} through PgBouncer. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** What PgBouncer logged so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops this PgBouncer (its process, by PID) and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
