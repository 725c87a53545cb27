package dev.athanor.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.ops.Ops;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.BackgroundOps;
import dev.athanor.ops.testing.OpsConfig;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ops logs} as the operator runs it: readable lines, raw JSON, filters from the command line, --follow. */
class LogsCommandTest {

    @TempDir
    Path temp;

    private Path config;
    private final Instant now = Instant.now();

    @BeforeEach
    void writeLogs() throws Exception {
        config = new OpsConfig(temp).write();
        Path logs = temp.resolve("logs");
        Files.createDirectories(logs);
        gzip(logs.resolve("app-2026-11-20-0.log.gz"), app(now.minus(Duration.ofDays(2)), "INFO", "started long ago"));
        Files.writeString(logs.resolve("app.log"), app(now.minus(Duration.ofHours(3)), "WARN", "disk filling up")
                + app(now.minus(Duration.ofMinutes(20)), "ERROR", "Error 3c601c3e answering GET /")
                + app(now.minus(Duration.ofMinutes(5)), "INFO", "all quiet"));
        Files.writeString(logs.resolve("requests.log"), request(now.minus(Duration.ofMinutes(30)), "/courses/java", 200)
                + request(now.minus(Duration.ofMinutes(10)), "/courses/java/intro", 500)
                + request(now.minus(Duration.ofMinutes(9)), "/articles/why", 503)
                + request(now.minus(Duration.ofMinutes(8)), "/courses/nope", 404));
    }

    @Test
    void readableByDefaultRawWithJson() {
        OpsRun run = OpsRun.of("logs", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault())
                .format(now.minus(Duration.ofMinutes(20)));
        assertThat(run.out().lines()).hasSize(4).element(2)
                .isEqualTo(when + " ERROR d.a.Test: Error 3c601c3e answering GET /");
        assertThat(run.out()).doesNotContain("\u001b[");

        OpsRun json = OpsRun.of("logs", "app", "--json", "--level", "warn", "--config", config.toString());
        assertThat(json.out().lines()).hasSize(2).allMatch(line -> line.startsWith("{\"timestamp\":"))
                .anyMatch(line -> line.contains("\"disk filling up\""));
    }

    @Test
    void filtersFromTheCommandLine() {
        assertThat(ops("logs", "--since", "1h").out()).doesNotContain("disk filling up").contains("all quiet")
                .contains("Error 3c601c3e");
        assertThat(ops("logs", "--since", "1h", "--grep", "ERROR 3C60").out().lines()).hasSize(1);
        assertThat(ops("logs", "requests", "--status", "5xx").out().lines()).hasSize(2)
                .allMatch(line -> line.contains(" 50"));
        assertThat(ops("logs", "requests", "--status", "5xx", "--path", "/courses").out().lines()).singleElement()
                .asString().contains(" 500 GET /courses/java/intro 15 B 3 ms");
        assertThat(ops("logs", "requests", "--since", "15m", "--level", "WARN").out().lines()).hasSize(3);
        assertThat(ops("logs", "requests", "--lines", "1").out()).contains("/courses/nope").doesNotContain("/why");

        OpsRun badStatus = ops("logs", "requests", "--status", "fivehundred");
        assertThat(badStatus.exitCode()).isEqualTo(2);
        assertThat(badStatus.err()).contains("'fivehundred' is not a status");
        assertThat(ops("logs", "journal").err()).contains("no log named 'journal': use one of app, requests");
        assertThat(ops("logs", "scheduler").err()).contains("no scheduler log at");
    }

    @Test
    void followKeepsPrintingAcrossARotation() throws Exception {
        Path current = temp.resolve("logs").resolve("app.log");
        try (BackgroundOps follow = new BackgroundOps("logs", "--follow", "--json", "--config", config.toString())) {
            // lines written before the follower has read to the end count as old: it is ready once it prints one
            long ready = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            do {
                Files.writeString(current, app(Instant.now(), "INFO", "ready?"), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } while (!follow.awaitOut(out -> out.contains("ready?"), Duration.ofMillis(500))
                    && System.nanoTime() < ready);
            assertThat(follow.out()).as("the follower prints a line written after it started").contains("ready?");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String line = app(Instant.now(), "INFO", "live " + i);
                expected.add(line.strip());
                if (i == 15) {
                    Files.move(current, temp.resolve("logs").resolve("app-2026-11-26-0.log"));
                    Files.writeString(current, line);
                } else {
                    Files.writeString(current, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                Thread.sleep(20);
            }
            // a last line: the follower prints in file order, so once it is out, any repeat would be too
            String last = app(Instant.now(), "INFO", "the end");
            expected.add(last.strip());
            Files.writeString(current, last, StandardOpenOption.APPEND);
            assertThat(follow.awaitOut(out -> out.contains("the end"), Duration.ofSeconds(10))).isTrue();
            Thread.sleep(600); // two more polls, for a repeat read at the end of the file
            assertThat(follow.stop()).isZero();
            assertThat(follow.out().lines().filter(line -> !line.contains("ready?")))
                    .as("only new lines, each once, in order")
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void nginxErrorLogInTheServersTimeZoneFilteredBySinceAndLevel() throws Exception {
        TimeZone before = TimeZone.getDefault();
        // Far from UTC, so a reader taking nginx's local times for UTC would put them hours off.
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        try {
            Path nginx = temp.resolve("nginx-logs");
            Files.createDirectories(nginx);
            String oldest = nginxError(now.minus(Duration.ofDays(2)), "error", "open() \"/srv/x\" failed");
            String older = nginxError(now.minus(Duration.ofHours(20)), "notice", "signal process started");
            gzip(nginx.resolve("athanor-error.log.2.gz"), oldest);
            Files.writeString(nginx.resolve("athanor-error.log.1"), older);
            String stale = nginxError(now.minus(Duration.ofHours(3)), "warn", "an upstream response is buffered");
            String refused = nginxError(now.minus(Duration.ofMinutes(50)), "error",
                    "connect() failed (111: Connection refused) while connecting to upstream");
            String notice = nginxError(now.minus(Duration.ofMinutes(20)), "notice", "reconfiguring");
            String buffered = nginxError(now.minus(Duration.ofMinutes(10)), "warn",
                    "a client request body is buffered to a temporary file");
            String critical = nginxError(now.minus(Duration.ofMinutes(5)), "crit",
                    "SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share)");
            Files.writeString(nginx.resolve("athanor-error.log"), stale + refused + notice + buffered + critical);

            OpsRun all = ops("logs", "nginx-error");
            assertThat(all.exitCode()).as(all.err()).isZero();
            assertThat(all.out()).as("rotated and gzipped files first, oldest first, lines as nginx wrote them")
                    .isEqualTo(oldest + older + stale + refused + notice + buffered + critical);
            assertThat(all.out()).doesNotContain("\u001b[");

            assertThat(ops("logs", "nginx-error", "--since", "1h").out())
                    .isEqualTo(refused + notice + buffered + critical);
            assertThat(ops("logs", "nginx-error", "--since", "1h", "--level", "WARN").out())
                    .isEqualTo(refused + buffered + critical);
            assertThat(ops("logs", "nginx-error", "--level", "error").out())
                    .isEqualTo(oldest + refused + critical);
            String localHourAgo = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneId.systemDefault())
                    .format(now.minus(Duration.ofMinutes(55)));
            assertThat(ops("logs", "nginx-error", "--since", localHourAgo, "--until", "15m").out())
                    .as("an absolute --since is in the server's time zone too").isEqualTo(refused + notice);
            assertThat(ops("logs", "nginx-error", "--lines", "2", "--level", "warn").out())
                    .isEqualTo(buffered + critical);
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void colouredOnATerminalUnlessNoColorIsSet() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script (util-linux) gives ops a terminal");

        String coloured = onTerminal(Map.of(), "logs", "--config", config.toString());
        assertThat(coloured).as("red errors, yellow warnings, dim loggers")
                .contains("\u001b[31mERROR\u001b[0m \u001b[2md.a.Test\u001b[0m: Error 3c601c3e answering GET /")
                .contains("\u001b[33mWARN \u001b[0m \u001b[2md.a.Test\u001b[0m: disk filling up")
                .contains(" INFO  \u001b[2md.a.Test\u001b[0m: all quiet");

        String plain = onTerminal(Map.of("NO_COLOR", "1"), "logs", "--config", config.toString());
        assertThat(plain).doesNotContain("\u001b[").contains(" ERROR d.a.Test: Error 3c601c3e answering GET /");
    }

    /** Runs ops in its own JVM on a pseudo-terminal (util-linux's script), as an operator's ssh session would. */
    private String onTerminal(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")), Ops.class.getName()));
        command.addAll(List.of(args));
        String shell = String.join(" ", command.stream().map(arg -> "'" + arg.replace("'", "'\\''") + "'")
                .toList());
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-qec", shell, "/dev/null")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove("NO_COLOR");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.replace("\r\n", "\n");
    }

    private OpsRun ops(String... args) {
        String[] full = java.util.Arrays.copyOf(args, args.length + 2);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        return OpsRun.of(full);
    }

    private static String app(Instant time, String level, String message) {
        return "{\"timestamp\":" + time.toEpochMilli() + ",\"level\":\"" + level
                + "\",\"thread\":\"main\",\"logger\":\"dev.athanor.Test\",\"message\":\"" + message + "\"}\n";
    }

    private static String request(Instant time, String uri, int status) {
        return "{\"timestamp\":" + time.toEpochMilli() + ",\"contentLength\":15,\"method\":\"GET\",\"protocol\":"
                + "\"HTTP/1.1\",\"remoteAddress\":\"127.0.0.1\",\"requestTime\":3,\"uri\":\"" + uri + "\",\"status\":"
                + status + ",\"userAgent\":\"test\"}\n";
    }

    /** A line as nginx writes its error log: local time of the server, level, pid#tid, the message. */
    private static String nginxError(Instant time, String level, String message) {
        return DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneId.systemDefault()).format(time)
                + " [" + level + "] 4242#4242: *17 " + message + ", client: 127.0.0.1, server: learn.example.com\n";
    }

    private static void gzip(Path file, String text) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
