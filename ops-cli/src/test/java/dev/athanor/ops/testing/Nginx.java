package dev.athanor.ops.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx started by a test: its own main configuration and prefix in a directory, including the site file
 * under test inside {@code http}, in the foreground as a child process, stopped by its PID. Needs the nginx package
 * ({@code ./dev test} installs it).
 */
public final class Nginx implements AutoCloseable {

    private final Process process;
    private final Path directory;

    private Nginx(Process process, Path directory) {
        this.process = process;
        this.directory = directory;
    }

    public static boolean installed() {
        return binary() != null;
    }

    /** The nginx program, or null. */
    public static String binary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /** Writes the main configuration for {@code site} into {@code directory} and returns its path. */
    public static Path mainConfig(Path directory, Path site) throws IOException {
        Files.createDirectories(directory.resolve("logs"));
        boolean root = "root".equals(System.getProperty("user.name"));
        // workers as an unprivileged user in the group of the files they send, as www-data in the athanor group
        String user = root ? "user nobody root;\n" : "";
        Path conf = directory.resolve("nginx.conf");
        Files.writeString(conf, user + """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/main-error.log warn;
                events { worker_connections 256; }
                http {
                    types {
                        text/html html; text/css css; text/javascript js; image/svg+xml svg; text/plain txt;
                        application/json json; video/mp4 mp4;
                    }
                    default_type application/octet-stream;
                    sendfile on;
                    client_body_temp_path %1$s/client-body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    access_log off;
                    include %2$s;
                }
                """.formatted(directory.toAbsolutePath(), site.toAbsolutePath()));
        return conf;
    }

    /** {@code nginx -t} on {@code conf}: the exit code and what it said. */
    public static Result test(Path conf, Path prefix) throws Exception {
        Process check = new ProcessBuilder(binary(), "-t", "-c", conf.toString(), "-p", prefix.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(30, TimeUnit.SECONDS)) {
            check.destroyForcibly();
            throw new IllegalStateException("nginx -t did not finish");
        }
        return new Result(check.exitValue(), output);
    }

    public record Result(int exitCode, String output) {
    }

    /** Starts nginx on {@code conf} and waits until {@code port} accepts connections. */
    public static Nginx start(Path conf, Path prefix, int port) throws Exception {
        Process process = new ProcessBuilder(binary(), "-c", conf.toString(), "-p", prefix.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs").resolve("stdout.log").toFile())
                .start();
        Nginx nginx = new Nginx(process, prefix);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + nginx.log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return nginx;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        nginx.close();
        throw new IllegalStateException("nginx did not listen on " + port + ": " + nginx.log());
    }

    /** nginx's own output and error log, for failure messages. */
    public String log() throws IOException {
        StringBuilder log = new StringBuilder();
        try (Stream<Path> files = Files.list(directory.resolve("logs"))) {
            for (Path file : files.toList()) {
                log.append("== ").append(file.getFileName()).append('\n').append(Files.readString(file));
            }
        }
        return log.toString();
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM to the master, by its PID: a fast shutdown of it and its workers
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
