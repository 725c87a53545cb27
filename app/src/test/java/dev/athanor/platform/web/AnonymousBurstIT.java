package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.Http;
import dev.athanor.testing.PackagedSite;
import dev.athanor.testing.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No anonymous burst ends the site: the packaged jar, run with the JVM flags of {@code systemd/athanor@.service} (its
 * 256 MiB heap and exit on OutOfMemoryError), takes sign-ups and sign-ins far beyond its hashing slots and many
 * oversized bodies at once, with and without Content-Length, and answers {@code /health} 200 right after. Every
 * request gets an answer (no reset connection); the ones the site cannot take now are 503 with Retry-After or 429.
 */
class AnonymousBurstIT {

    private static final String TOKEN = "b".repeat(43);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private static final Path DIRECTORY = TestPostgres.newDirectory("anonymous-burst");
    private static final int PORT = TestPostgres.freePort();
    private static final int ADMIN_PORT = TestPostgres.freePort();
    private static Process site;

    @BeforeAll
    static void startTheSiteAsTheUnitDoes() throws Exception {
        Files.copy(Path.of(System.getProperty("athanor.config")), DIRECTORY.resolve("config.yml"));
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(PackagedSite.unitJvmFlags());
        command.addAll(List.of("-jar", System.getProperty("athanor.jar"), "server", "config.yml"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(DIRECTORY.resolve("output.log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("ATHANOR_") || name.startsWith("DATABASE_"));
        builder.environment().put("ATHANOR_PORT", Integer.toString(PORT));
        builder.environment().put("ATHANOR_ADMIN_PORT", Integer.toString(ADMIN_PORT));
        site = builder.start();
        assertThat(Http.awaitStatus(base() + "/health", 200, Duration.ofSeconds(120)))
                .as("the site starts; its output:%n%s", output()).isTrue();
    }

    /** The site and the embedded PostgreSQL it started are stopped whatever happened. */
    @AfterAll
    static void stopTheSite() throws Exception {
        if (site != null && site.isAlive()) {
            site.destroy();
            if (!site.waitFor(60, TimeUnit.SECONDS)) {
                site.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        Path pid = DIRECTORY.resolve("data/postgres/pgdata/postmaster.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).strip())).ifPresent(postgres -> {
                postgres.destroy();
                postgres.onExit().completeOnTimeout(postgres, 30, TimeUnit.SECONDS).join();
                postgres.destroyForcibly();
            });
        }
    }

    @Test
    void signUpsAndSignInsFarBeyondTheHashingSlots() throws Exception {
        Map<Integer, Integer> answers = new TreeMap<>();
        List<Callable<Integer>> burst = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String client = "198.51.100." + (i + 1);
            String email = "burst" + i + "%40example.com";
            String password = "a+long+enough+passphrase+" + i;
            burst.add(() -> post("/signup", client, "email=" + email + "&password=" + password));
            burst.add(() -> post("/login", client, "email=" + email + "&password=wrong+" + password));
        }
        run(burst, 120).forEach(status -> answers.merge(status, 1, Integer::sum));
        System.out.println("AnonymousBurstIT: 60 sign-ups and 60 sign-ins at once answered " + answers);

        assertThat(site.isAlive()).as("the JVM is alive; its output:%n%s", output()).isTrue();
        assertThat(Http.get(base() + "/health").statusCode()).isEqualTo(200);
        assertThat(answers.keySet()).as("answers by status: %s", answers).isSubsetOf(200, 401, 429, 503);
        assertThat(answers.getOrDefault(200, 0) + answers.getOrDefault(401, 0)).as("most were served: %s", answers)
                .isGreaterThan(0);
    }

    @Test
    void oneClientsBurstOfWrongPasswordsIsCountedBeforeItIsHashed() throws Exception {
        List<Callable<Integer>> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(() -> post("/login", "203.0.113.50", "email=someone%40example.com&password=guess"));
        }
        Map<Integer, Integer> answers = new TreeMap<>();
        run(burst, 120).forEach(status -> answers.merge(status, 1, Integer::sum));

        assertThat(answers.getOrDefault(401, 0)).as("no more wrong passwords than the per-address limit of 20: %s",
                answers).isLessThanOrEqualTo(20);
        assertThat(answers.getOrDefault(429, 0)).as("the rest refused by the limit: %s", answers).isPositive();
        assertThat(Http.get(base() + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedBodiesWithAndWithoutLengthAllAtOnce() throws Exception {
        List<Callable<Integer>> burst = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            burst.add(() -> oversized("/login", true));
            burst.add(() -> oversized("/signup", false));
            boolean declared = i % 2 == 0;
            burst.add(() -> oversized("/account/password", declared));
        }
        List<Integer> statuses = run(burst, 180);

        assertThat(statuses).as("every oversized body is refused with 413").containsOnly(413);
        assertThat(site.isAlive()).as("the JVM is alive; its output:%n%s", output()).isTrue();
        assertThat(Http.get(base() + "/health").statusCode()).isEqualTo(200);
    }

    /** A form POST as nginx would pass it on: the client's address in X-Forwarded-For, the form token pair. */
    private static int post(String path, String client, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", client)
                .header("Cookie", "csrf=" + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + TOKEN + "&" + form)).build();
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 503) {
            assertThat(response.headers().firstValue("Retry-After")).as("a 503 says when to come back").isPresent();
        }
        return response.statusCode();
    }

    /**
     * Sends 30 MB (declared, or chunked) and reads the answer while still sending: the site answers as soon as it
     * has seen enough, and closes the connection, which ends the sending.
     */
    private static int oversized(String path, boolean declared) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), PORT)) {
            socket.setSoTimeout(60_000);
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nCookie: csrf=" + TOKEN + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + (declared ? "Content-Length: 30000000\r\n" : "Transfer-Encoding: chunked\r\n") + "\r\n";
            Thread sender = new Thread(() -> send(socket, head, declared));
            sender.start();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            sender.interrupt();
            Matcher code = Pattern.compile("HTTP/1.1 (\\d{3})").matcher(status);
            return code.find() ? Integer.parseInt(code.group(1)) : -1;
        }
    }

    private static void send(Socket socket, String head, boolean declared) {
        byte[] piece = ("csrf=" + TOKEN + "&x=" + "z".repeat(65_000)).getBytes(StandardCharsets.US_ASCII);
        try {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            for (long sent = 0; sent < 30_000_000 && !Thread.currentThread().isInterrupted(); sent += piece.length) {
                if (!declared) {
                    out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(piece);
                if (!declared) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
        } catch (IOException e) {
            // The site answered and closed the connection: the rest is not wanted.
        }
    }

    private static List<Integer> run(List<Callable<Integer>> burst, int seconds) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(burst.size());
        try {
            List<Future<Integer>> futures = clients.invokeAll(burst, seconds, TimeUnit.SECONDS);
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> future : futures) {
                statuses.add(future.get());
            }
            return statuses;
        } finally {
            clients.shutdownNow();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + PORT;
    }

    private static String output() throws IOException {
        Path log = DIRECTORY.resolve("output.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
