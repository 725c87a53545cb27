package dev.athanor.ops.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's pebble (a real ACME server), started as a process on free loopback ports with a TLS certificate from
 * {@link TestCa}, and stopped by its PID. Certificates it issues live {@code validity} long.
 */
public final class Pebble implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int httpPort;
    private final Path log;

    private Pebble(Process process, int port, int httpPort, Path log) {
        this.process = process;
        this.port = port;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** True when the pebble program is installed ({@code ./dev test} installs it). */
    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/pebble"));
    }

    /**
     * Starts pebble, validating HTTP-01 on {@code httpPort}; {@code nonceRejectPercent} of good nonces are refused as
     * bad, to prove the client retries them.
     */
    public static Pebble start(TestCa ca, Path directory, int httpPort, Duration validity, int nonceRejectPercent,
            List<String> blocklist) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        ca.issue(List.of("localhost", "127.0.0.1"), Instant.now().minusSeconds(60), Instant.now().plusSeconds(86400))
                .writeTo(directory.resolve("tls"));
        int port = freePort();
        String quotedBlocklist = String.join(",", blocklist.stream().map(name -> "\"" + name + "\"").toList());
        Path config = directory.resolve("pebble-config.json");
        Files.writeString(config, """
                {"pebble": {
                  "listenAddress": "127.0.0.1:%d",
                  "managementListenAddress": "",
                  "certificate": "%s",
                  "privateKey": "%s",
                  "httpPort": %d,
                  "tlsPort": %d,
                  "ocspResponderURL": "",
                  "externalAccountBindingRequired": false,
                  "certificateValidityPeriod": %d,
                  "domainBlocklist": [%s]
                }}
                """.formatted(port, directory.resolve("tls/cert.pem"), directory.resolve("tls/key.pem"), httpPort,
                freePort(), validity.toSeconds(), quotedBlocklist));
        Path log = directory.resolve("pebble.log");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/pebble", "-config", config.toString(), "-strict=false")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // PEBBLE_AUTHZREUSE=0 still reuses an account's valid authorization for about 1 order in 100 (pebble makes a
        // new one only when rand.Intn(100) > 0): a test that needs a validation to fail uses an account without one.
        builder.environment().putAll(Map.of("PEBBLE_VA_NOSLEEP", "1",
                "PEBBLE_WFE_NONCEREJECT", Integer.toString(nonceRejectPercent), "PEBBLE_AUTHZREUSE", "0"));
        Pebble pebble = new Pebble(builder.start(), port, httpPort, log);
        pebble.awaitListening(Duration.ofSeconds(20));
        return pebble;
    }

    public String directoryUrl() {
        return "https://127.0.0.1:" + port + "/dir";
    }

    public int port() {
        return port;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return log;
    }

    /** How many new orders pebble has received so far (from its log). */
    public long newOrders() throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("POST /order-plz")).count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitListening(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("pebble exited " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IOException("pebble did not listen on " + port + " within " + timeout + ": " + Files.readString(log));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
