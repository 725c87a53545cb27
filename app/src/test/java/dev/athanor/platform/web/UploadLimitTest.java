package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Browser;
import dev.athanor.testing.Http;
import dev.athanor.testing.Operators;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's upload has a limit of its own, {@code site.uploadLimit} (here 2 MiB): an upload over it is answered
 * 413 without the site reading the rest, whether its length is declared or it comes in chunks; one under it (but
 * over the 64 KiB every other body gets) reaches the upload. Each refused body is left unfinished, so an answer can
 * only come from a site that did not wait for it.
 */
class UploadLimitTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String OPERATOR = "upload-limit@example.com";
    private static final String PASSWORD = "an operator's passphrase for limits";
    private static final String BOUNDARY = "limit-boundary";
    private static final int UPLOAD_LIMIT = 2 * 1024 * 1024;

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("site.uploadLimit", "2MiB"));

    private static Browser operator;

    @BeforeAll
    static void signInTheOperator() {
        assertThat(((TestSite) SITE.getApplication()).accounts().createOperator(OPERATOR, PASSWORD)).isEmpty();
        operator = Browser.at(base());
        Operators.signIn(operator, DATABASE, OPERATOR, PASSWORD);
        assertThat(operator.get("/admin").statusCode()).isEqualTo(200);
    }

    @Test
    void aDeclaredUploadOverTheLimitIsRefusedWithoutTheRestBeingRead() throws Exception {
        // 50 MB declared, 1 KiB sent, and the connection kept open: only a site that does not wait can answer.
        String answer = unfinished(head("Content-Length: 50000000"), "x".repeat(1024).getBytes(StandardCharsets.US_ASCII));

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("Payload Too Large")
                .doesNotContainIgnoringCase("exception");
        assertThat(Http.get(base() + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aChunkedUploadIsRefusedOnceItPassesTheLimit() throws Exception {
        // 3 MiB in chunks and no last chunk: the answer comes once the 2 MiB are passed.
        StringBuilder chunks = new StringBuilder();
        String chunk = "y".repeat(64 * 1024);
        for (int sent = 0; sent < UPLOAD_LIMIT + 1024 * 1024; sent += chunk.length()) {
            chunks.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        String answer = unfinished(head("Transfer-Encoding: chunked"),
                chunks.toString().getBytes(StandardCharsets.US_ASCII));

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("Payload Too Large")
                .doesNotContainIgnoringCase("exception");
        assertThat(Http.get(base() + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anUploadUnderTheLimitReachesTheUpload() throws Exception {
        // 1 MiB: more than any other body may have, less than the upload's limit. Not a zip, which the page says.
        String start = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + operator.csrf()
                + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"c.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n";
        String body = start + "z".repeat(1024 * 1024) + "\r\n--" + BOUNDARY + "--\r\n";
        String answer = unfinished(head("Content-Length: " + body.length(), "Connection: close"),
                body.getBytes(StandardCharsets.US_ASCII));

        assertThat(answer).startsWith("HTTP/1.1 200 ").contains("The upload was refused: the upload is not a zip");
    }

    private static String head(String... headers) {
        StringBuilder head = new StringBuilder("POST /admin/content/upload HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nCookie: session="
                + operator.cookie("session").orElseThrow() + "; csrf=" + operator.csrf() + "\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /**
     * Sends {@code head} and {@code body}, never closing the sending side (and so never finishing a body the head
     * promises more of), and returns the site's answer as read until the site closes or 64 KiB have come.
     */
    private static String unfinished(String head, byte[] body) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), SITE.getLocalPort())) {
            socket.setSoTimeout(20_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                } catch (java.io.IOException e) {
                    // The site answered and closed the connection before taking all of it: as it should.
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            writer.join(20_000);
            return answer;
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
