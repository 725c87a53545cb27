package dev.athanor.billing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.FakeStripe;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A site without a webhook signing secret cannot verify any delivery: it answers 503 (Stripe delivers again once the
 * secret is set) and says so in the log once, as the configuration problem it is, without a stack trace.
 */
class WebhookWithoutSecretTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("billing.webhookSecret", ""));

    @Test
    void everyDeliveryIsRefusedWith503AndTheMissingSecretIsLoggedOnce() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(WebhookResource.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            byte[] body = ("{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1,"
                    + "\"data\":{\"object\":{\"id\":\"in_1\"}}}").getBytes(StandardCharsets.UTF_8);
            long now = Instant.now().getEpochSecond();
            for (String signature : List.of(FakeStripe.signature(body, "whsec_any", now),
                    "t=" + now + ",v1=" + "ab".repeat(32), "garbage")) {
                HttpResponse<String> answer = Http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + SITE.getLocalPort() + "/stripe/webhook"))
                        .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
                assertThat(answer.statusCode()).as(signature).isEqualTo(503);
                assertThat(answer.body()).isEqualTo("{\"error\":\"webhooks are not configured on this site\"}");
            }
        } finally {
            logger.detachAppender(log);
        }

        assertThat(log.list).hasSize(1);
        ILoggingEvent reported = log.list.get(0);
        assertThat(reported.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)).isTrue();
        assertThat(reported.getFormattedMessage()).contains("billing.webhookSecret", "STRIPE_WEBHOOK_SECRET");
        assertThat(reported.getThrowableProxy()).isNull();

        // The 503 is decided before the body is read; the body arrives a moment after the headers, and a second
        // request follows on the same connection: both are answered.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", SITE.getLocalPort())) {
            socket.setSoTimeout(20_000);
            java.io.OutputStream out = socket.getOutputStream();
            String delivery = "{\"id\":\"evt_2\"}";
            out.write(("POST /stripe/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Stripe-Signature: garbage\r\nContent-Length: " + delivery.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            out.write((delivery + "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answers).containsPattern("(?s)^HTTP/1.1 503 .*HTTP/1.1 200 ");
        }
    }
}
