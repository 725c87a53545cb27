package dev.athanor.testing;

import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.platform.db.EmbeddedPostgresException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL as a managed service runs it: TLS only through a certificate of its own CA (made here with openssl,
 * naming the host {@code localhost} only), and a small {@code max_connections}. A second CA that signed nothing
 * stands for the wrong file. Stopped by {@link #close()} (and at JVM exit, as every test cluster).
 */
public final class ManagedPostgres implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Path tls;
    private final int port;
    private final String password;

    private ManagedPostgres(EmbeddedPostgres postgres, Path tls, int port, String password) {
        this.postgres = postgres;
        this.tls = tls;
        this.port = port;
        this.password = password;
    }

    /** A new cluster with TLS on and {@code maxConnections}, running on a free port of 127.0.0.1. */
    public static ManagedPostgres start(String name, int maxConnections) throws Exception {
        int port = TestPostgres.freePort();
        EmbeddedPostgres postgres = TestPostgres.dedicated(name, port);
        String password;
        try (DatabaseServer server = postgres.acquire()) {
            password = server.password();
        }
        postgres.stop();
        Path tls = TestPostgres.newDirectory(name + "-tls");
        makeCertificates(tls);
        Path data = postgres.dataDirectory();
        UserPrincipal owner = Files.getOwner(data);
        for (String file : List.of("server.crt", "server.key")) {
            Path copy = Files.copy(tls.resolve(file), data.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
            Files.setOwner(copy, owner);
        }
        List<String> command = new ArrayList<>(postgres.commandPrefix());
        command.addAll(List.of(postgres.binaries().resolve("pg_ctl").toString(), "start", "--pgdata=" + data,
                "--log=" + data.resolve("managed.log"), "--wait", "--timeout=60", "--silent", "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections="
                        + maxConnections + " -c ssl=on"));
        run(command, tls);
        return new ManagedPostgres(postgres, tls, port, password);
    }

    public int port() {
        return port;
    }

    public String user() {
        return EmbeddedPostgres.USER;
    }

    public String password() {
        return password;
    }

    /** The CA that signed the server's certificate, as a managed service offers it for download. */
    public Path caFile() {
        return tls.resolve("ca.crt");
    }

    /** The server's certificate (naming localhost) and its key, for a pooler that stands beside it. */
    public Path serverCertificate() {
        return tls.resolve("server.crt");
    }

    public Path serverKey() {
        return tls.resolve("server.key");
    }

    /** A CA that signed nothing of this server's. */
    public Path otherCaFile() {
        return tls.resolve("other-ca.crt");
    }

    /** The service's URL as it prints it: {@code postgresql://USER:PASSWORD@HOST:PORT/athanor?sslmode=require}. */
    public String url(String host) {
        return "postgresql://" + user() + ":" + password + "@" + host + ":" + port + "/athanor?sslmode=require";
    }

    /** The plain JDBC URL without TLS settings, for the tests' own look at the server. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/athanor";
    }

    @Override
    public void close() throws EmbeddedPostgresException {
        postgres.stop();
    }

    private static void makeCertificates(Path dir) throws IOException, InterruptedException {
        String curve = "ec_paramgen_curve:prime256v1";
        for (String ca : List.of("ca", "other-ca")) {
            run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout",
                    ca + ".key", "-out", ca + ".crt", "-days", "2", "-subj", "/CN=Test " + ca,
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"), dir);
        }
        run(List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=localhost"), dir);
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        run(List.of("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext"), dir);
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
