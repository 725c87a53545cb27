package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Another node's nginx (an address in {@code nginx.peers}) forwards visitors here: the site believes its
 * X-Forwarded-For as it believes the local nginx's, so a visitor's limits count against the visitor, not against the
 * other node; anyone else's header is ignored.
 */
class PeerForwardingTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String CSRF = "p".repeat(43);

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("nginx.peers", "127.0.0.2"),
            ConfigOverride.config("site.trustedProxies", "127.0.0.1/32"));

    @Test
    void aPeersForwardedAddressIsTheVisitorsAndAStrangersIsIgnored() throws Exception {
        assertThat(wrongPassword("127.0.0.2", "203.0.113.9")).isEqualTo(401);
        assertThat(wrongPassword("127.0.0.3", "203.0.113.10")).isEqualTo(401);

        assertThat(DATABASE.<Long>value("SELECT count(*) FROM throttle WHERE key = ?",
                "sign-in:client:203.0.113.9")).as("counted against the visitor the peer forwarded").isEqualTo(1L);
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM throttle WHERE key = ?",
                "sign-in:client:127.0.0.2")).as("not against the peer").isZero();
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM throttle WHERE key = ?",
                "sign-in:client:127.0.0.3")).as("a stranger's header is not believed").isEqualTo(1L);
    }

    /** A sign-in with a wrong password from local address {@code from}, claiming to forward {@code forwarded}. */
    private static int wrongPassword(String from, String forwarded) throws Exception {
        String body = "csrf=" + CSRF + "&email=nobody%40example.com&password=wrong+guess";
        String request = "POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nCookie: csrf=" + CSRF + "\r\n"
                + "X-Forwarded-For: " + forwarded + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), SITE.getLocalPort()), 5000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = socket.getInputStream()) {
                String status = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst()
                        .orElse("");
                return Integer.parseInt(status.split(" ")[1]);
            }
        }
    }
}
