package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Forwarding headers count only from the configured proxy (here 127.0.0.1/32 alone), and only the two nginx sets:
 * from 127.0.0.2 a client's X-Forwarded-For and X-Forwarded-Proto are ignored; from the proxy they are believed;
 * {@code Forwarded} and {@code X-Forwarded-Host} never are, and redirects never name a host a client chose.
 */
class TrustedProxiesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String PASSWORD = "correct horse battery staple";
    private static final String TOKEN = "t".repeat(43);

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("site.trustedProxies", "127.0.0.1/32"));

    @Test
    void theSchemeIsBelievedFromTheProxyOnly() throws IOException {
        String spoofed = "X-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.1\r\n";

        assertThat(get("127.0.0.2", "/login", spoofed)).as("not the proxy")
                .doesNotContain("Strict-Transport-Security");
        assertThat(get("127.0.0.1", "/login", spoofed)).as("the proxy: https, so HSTS")
                .contains("Strict-Transport-Security");
        assertThat(get("127.0.0.1", "/login", "Forwarded: proto=https;for=203.0.113.1\r\n"))
                .as("Forwarded is never read").doesNotContain("Strict-Transport-Security");
    }

    @Test
    void redirectsNeverNameAHostTheClientChose() throws IOException {
        String response = get("127.0.0.1", "/account", "X-Forwarded-Host: evil.example\r\n"
                + "Forwarded: host=evil.example;proto=https\r\nX-Forwarded-Port: 4443\r\n");

        assertThat(response).startsWith("HTTP/1.1 303").containsPattern("(?m)^Location: /login\\?next=%2Faccount$")
                .doesNotContain("evil.example").doesNotContain("4443");
        assertThat(get("127.0.0.1", "/account", "", "evil.example")).as("nor the Host header")
                .doesNotContain("Location: http://evil.example");
    }

    @Test
    void theClientAddressThatLimitsAndSessionsSeeIsTheProxysWord() throws IOException {
        site().accounts().createOperator("proxied@example.com", PASSWORD);

        signIn("127.0.0.2", "X-Forwarded-For: 203.0.113.7\r\nForwarded: for=198.51.100.1\r\n");
        signIn("127.0.0.1", "X-Forwarded-For: 203.0.113.8\r\nForwarded: for=198.51.100.2\r\n");

        assertThat(DATABASE.list("SELECT address FROM session s JOIN learner l ON l.id = s.learner_id"
                + " WHERE l.email = 'proxied@example.com' ORDER BY s.created_at", String.class))
                .containsExactly("127.0.0.2", "203.0.113.8");
    }

    private static void signIn(String from, String headers) throws IOException {
        String body = "csrf=" + TOKEN + "&email=proxied%40example.com&password=correct+horse+battery+staple";
        String response = exchange(from, "POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nCookie: csrf=" + TOKEN + "\r\n"
                + "Content-Length: " + body.length() + "\r\n" + headers + "\r\n" + body);
        assertThat(response).startsWith("HTTP/1.1 303");
    }

    private static String get(String from, String path, String headers) throws IOException {
        return get(from, path, headers, "localhost");
    }

    private static String get(String from, String path, String headers, String host) throws IOException {
        return exchange(from, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + headers
                + "\r\n");
    }

    /** One request from local address {@code from} (any 127.0.0.0/8 address reaches the site's loopback port). */
    private static String exchange(String from, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", SITE.getLocalPort()), 5_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static TestSite site() {
        return (TestSite) SITE.getApplication();
    }
}
