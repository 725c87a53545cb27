package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request bodies are bounded before they are read: over the limit with a Content-Length, the answer is 413 at once
 * (nothing read, the connection closed); without one (chunked), 413 once the limit is passed; several at once alike;
 * and only a signed-in operator may send the upload path more than the small limit.
 */
class RequestLimitsTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String TOKEN = "t".repeat(43);

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(() -> DATABASE);

    @Test
    void aDeclaredBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        // 60 MB declared, 1 KiB sent: the answer comes without the site waiting for the rest.
        String response = exchange(headers("/login", "Content-Length: 60000000") + "csrf=" + "x".repeat(1024));

        assertThat(response).startsWith("HTTP/1.1 413").contains("Content-Type: text/html")
                .contains("Connection: close").doesNotContainIgnoringCase("exception");
    }

    @Test
    void aWrongFormTokenDoesNotGetTheBodyRead() throws Exception {
        String response = exchange(headers("/signup", "Content-Length: 20000000") + "csrf=wrong&email=");

        assertThat(response).as("413 before any CSRF check reads the form").startsWith("HTTP/1.1 413");
    }

    @Test
    void aChunkedBodyIsCutOffOnceItPassesTheLimit() throws Exception {
        StringBuilder request = new StringBuilder(headers("/login", "Transfer-Encoding: chunked"));
        String chunk = "x".repeat(8192);
        // 2 MiB in chunks, more than the site will read: it answers once 64 KiB have passed.
        for (int i = 0; i < 256; i++) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");

        String response = exchange(request.toString());

        assertThat(response).startsWith("HTTP/1.1 413").doesNotContainIgnoringCase("exception");
        assertThat(Http.get(base() + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aFormUnderTheLimitIsReadAsUsual() throws Exception {
        String body = "csrf=" + TOKEN + "&email=someone%40example.com&password=" + "p".repeat(60_000);
        String response = exchange(headers("/login", "Content-Length: " + body.length(), "Cookie: csrf=" + TOKEN,
                "Connection: close") + body);

        assertThat(response).as("a wrong password, not a refused body").startsWith("HTTP/1.1 401");
    }

    @Test
    void manyOversizedBodiesAtOnceAreAllRefused() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                boolean chunked = i % 2 == 0;
                answers.add(clients.submit(() -> chunked
                        ? exchange(headers("/signup", "Transfer-Encoding: chunked") + chunks(40, 16384))
                        : exchange(headers("/signup", "Content-Length: 30000000") + "x".repeat(16384))));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).startsWith("HTTP/1.1 413");
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(Http.get(base() + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyAnOperatorMaySendTheUploadMoreThanTheSmallLimit() throws Exception {
        String response = exchange(headers("/admin/content/upload", "Content-Length: 1000000",
                "Content-Type: multipart/form-data; boundary=b") + "--b\r\n");

        assertThat(response).as("anonymous: the small limit").startsWith("HTTP/1.1 413");
    }

    @Test
    void aBodyNothingReadDoesNotCostTheConnection() throws Exception {
        // A POST refused before its body is read (404 under /admin, 415 for JSON to a form) whose body arrives a
        // moment after its headers, then a second request on the same connection: both are answered.
        for (String[] refused : new String[][] {{"/admin/nope", "application/x-www-form-urlencoded"},
                {"/login", "application/json"}}) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), SITE.getLocalPort())) {
                socket.setSoTimeout(20_000);
                OutputStream out = socket.getOutputStream();
                String body = "csrf=" + TOKEN + "&x=" + "y".repeat(2000);
                out.write(("POST " + refused[0] + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + refused[1]
                        + "\r\nContent-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(300);
                out.write(body.getBytes(StandardCharsets.US_ASCII));
                out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(answers).as(refused[0]).containsPattern("(?s)^HTTP/1.1 4\\d\\d .*\nHTTP/1.1 200 ");
            }
        }
    }

    private static String chunks(int count, int size) {
        StringBuilder body = new StringBuilder();
        String chunk = "y".repeat(size);
        for (int i = 0; i < count; i++) {
            body.append(Integer.toHexString(size)).append("\r\n").append(chunk).append("\r\n");
        }
        return body.append("0\r\n\r\n").toString();
    }

    private static String headers(String path, String... more) {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n");
        for (String header : more) {
            if (header.startsWith("Content-Type:")) {
                request = new StringBuilder(request.toString().replace(
                        "Content-Type: application/x-www-form-urlencoded\r\n", ""));
            }
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /**
     * Writes {@code request} while reading the answer: the site may answer and close before the body is all sent,
     * as it should, so a write that fails after that is not an error.
     */
    static String exchange(String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), SITE.getLocalPort())) {
            socket.setSoTimeout(30_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // The site closed the connection after answering: expected for a refused body.
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(64 * 1024);
            writer.join(30_000);
            return new String(answer, StandardCharsets.UTF_8);
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
