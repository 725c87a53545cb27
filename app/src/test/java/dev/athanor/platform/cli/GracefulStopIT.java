package dev.athanor.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.Http;
import dev.athanor.testing.KeepAliveConnection;
import dev.athanor.testing.KeepAliveConnection.Reply;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged jar (the shipped config.yml: a 20 s grace period) while two sign-ins are still sending their
 * bodies and three keep-alive connections sit open: the listening socket closes at once (a new connection is refused),
 * a request on an open connection gets its usual answer with {@code Connection: close} (a cached page, a rendered
 * page; readiness says 503 stopping), the sign-ins are answered as they would have been, no connection is reset, and
 * the process exits 143 right after, long before the grace period is over.
 */
class GracefulStopIT {

    private static final String BODY = "email=someone%40example.com&password=not+the+password&csrf=none";

    private final Path directory = TestPostgres.newDirectory("graceful-stop");
    private final int port = TestPostgres.freePort();
    private final int adminPort = TestPostgres.freePort();
    private Process site;

    @Test
    void aStopAnswersWhatIsInFlightAndWhatArrivesOnOpenConnectionsThenExits() throws Exception {
        site = start();
        assertThat(Http.awaitStatus(base() + "/health", 200, Duration.ofSeconds(120)))
                .as("the site starts; its output:%n%s", output()).isTrue();
        assertThat(Http.get(base() + "/").statusCode()).as("the front page, now cached").isEqualTo(200);
        int usual = signIn(KeepAliveConnection.open(port)).status();

        List<KeepAliveConnection> signIns = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            KeepAliveConnection connection = KeepAliveConnection.open(port);
            connection.send(signInHead() + BODY.substring(0, 10));
            signIns.add(connection);
        }
        KeepAliveConnection cached = KeepAliveConnection.open(port);
        KeepAliveConnection rendered = KeepAliveConnection.open(port);
        KeepAliveConnection health = KeepAliveConnection.open(port);
        assertThat(cached.get("/").status()).isEqualTo(200);
        assertThat(rendered.get("/login").status()).isEqualTo(200);
        assertThat(health.get("/health").status()).isEqualTo(200);

        long signalled = System.nanoTime();
        signal(site, "TERM");
        long refusedAfter = awaitRefused(Duration.ofSeconds(5));
        // The drain begins once the site itself has seen a connection refused, which may be a moment after this test
        // did: it says so in its log.
        long drainBy = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!output().contains("Stopping: new connections refused") && System.nanoTime() < drainBy) {
            Thread.sleep(5);
        }
        assertThat(output()).as("the drain began").contains("Stopping: new connections refused");

        Reply page = cached.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Java from Scratch");
        Reply form = rendered.get("/login");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("<form");
        Reply stopping = health.get("/health");
        assertThat(stopping.status()).isEqualTo(503);
        assertThat(stopping.body()).isEqualTo("{\"status\":\"stopping\"}");
        for (Reply reply : List.of(page, form, stopping)) {
            assertThat(reply.header("Connection")).isEqualTo("close");
        }
        for (KeepAliveConnection connection : List.of(cached, rendered, health)) {
            assertThat(connection.closedCleanly(5_000)).as("closed, not reset").isTrue();
        }
        assertThat(site.isAlive()).as("still draining: two sign-ins are in flight").isTrue();

        Thread.sleep(1_500);
        for (KeepAliveConnection connection : signIns) {
            connection.send(BODY.substring(10));
            Reply reply = connection.read();
            assertThat(reply.status()).as("the sign-in's usual answer").isEqualTo(usual);
            assertThat(reply.header("Connection")).isEqualTo("close");
            assertThat(connection.closedCleanly(5_000)).as("closed, not reset").isTrue();
        }
        long answered = System.nanoTime();

        assertThat(site.waitFor(40, TimeUnit.SECONDS)).as("the site exits; its output:%n%s", output()).isTrue();
        long exited = System.nanoTime();
        assertThat(site.exitValue()).isEqualTo(143);
        Matcher drained = Pattern.compile("Drained in (\\d+) ms").matcher(output());
        assertThat(drained.find()).as("the drain ended because the site was idle; its output:%n%s", output()).isTrue();
        assertThat(Long.parseLong(drained.group(1))).as("drained once the sign-ins were answered")
                .isLessThan(millis(signalled, answered) + 1_000);
        assertThat(Duration.ofNanos(exited - signalled)).as("long before the 20 s grace period")
                .isLessThan(Duration.ofSeconds(15));
        System.out.printf("GracefulStopIT: new connections refused %d ms after SIGTERM, drained in %s ms, exited %d ms"
                + " after the last answer (%d ms after SIGTERM)%n", refusedAfter, drained.group(1),
                millis(answered, exited), millis(signalled, exited));
    }

    private Reply signIn(KeepAliveConnection connection) throws IOException {
        try (connection) {
            connection.send(signInHead() + BODY);
            return connection.read();
        }
    }

    private String signInHead() {
        return "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + base() + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + BODY.length() + "\r\n\r\n";
    }

    /** Waits until a new connection is refused; returns how long that took, in milliseconds. */
    private long awaitRefused(Duration deadline) throws Exception {
        long started = System.nanoTime();
        while (System.nanoTime() - started < deadline.toNanos()) {
            try {
                KeepAliveConnection.open(port).close();
                Thread.sleep(5);
            } catch (ConnectException refused) {
                return millis(started, System.nanoTime());
            }
        }
        assertThatThrownBy(() -> KeepAliveConnection.open(port)).as("a new connection is refused")
                .isInstanceOf(ConnectException.class);
        return millis(started, System.nanoTime());
    }

    /** Whatever happened, nothing is left running: the site, and the PostgreSQL it started. */
    @AfterEach
    void stopSite() throws Exception {
        if (site != null && site.isAlive()) {
            site.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Path pid = directory.resolve("data/postgres/pgdata/postmaster.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).strip())).ifPresent(postgres -> {
                postgres.destroy();
                postgres.onExit().completeOnTimeout(postgres, 30, TimeUnit.SECONDS).join();
                postgres.destroyForcibly();
            });
        }
    }

    private Process start() throws IOException {
        Files.copy(Path.of(System.getProperty("athanor.config")), directory.resolve("config.yml"));
        ProcessBuilder builder = new ProcessBuilder("java", "-Xms128m", "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                System.getProperty("athanor.jar"), "server", "config.yml")
                .directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("output.log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("ATHANOR_") || name.startsWith("DATABASE_"));
        builder.environment().put("ATHANOR_PORT", Integer.toString(port));
        builder.environment().put("ATHANOR_ADMIN_PORT", Integer.toString(adminPort));
        return builder.start();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private String output() throws IOException {
        Path log = directory.resolve("output.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }

    private static void signal(Process process, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
