package dev.athanor.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgres;
import dev.athanor.testing.Browser;
import dev.athanor.testing.FakeStripe;
import dev.athanor.testing.Http;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With the database down the webhook answers 5xx and grants nothing; Stripe's redelivery, once it is back, applies
 * the events. The database is a PostgreSQL cluster of this test's own, really stopped and started again.
 */
class WebhookDatabaseDownTest {

    @Test
    void theWebhookFailsWhileTheDatabaseIsDownAndTheRedeliverySucceeds() throws Exception {
        EmbeddedPostgres cluster = TestPostgres.dedicated("webhook-down", TestPostgres.freePort());
        DatabaseServer server = cluster.acquire();
        TestDatabase database = new TestDatabase(server.jdbcUrl(), server.user(), server.password());
        try (FakeStripe stripe = new FakeStripe("sk_test_fake")) {
            stripe.price("price_monthly", 1500, "usd", "month", "Monthly");
            DropwizardTestSupport<AthanorConfiguration> site = TestApp.support(TestSite.class, () -> database,
                    ConfigOverride.config("billing.secretKey", "sk_test_fake"),
                    ConfigOverride.config("billing.apiBase", stripe.url()),
                    ConfigOverride.config("database.maxWaitForConnection", "500ms"));
            site.before();
            try {
                String base = "http://127.0.0.1:" + site.getLocalPort();
                stripe.webhooks(base + "/stripe/webhook", BillingTest.SECRET);
                Browser browser = Browser.at(base);
                assertThat(browser.post("/signup", "email", "down@example.com", "password", "a long passphrase")
                        .statusCode()).isEqualTo(200);
                assertThat(browser.post("/login", "email", "down@example.com", "password", "a long passphrase")
                        .statusCode()).isEqualTo(303);
                String checkout = browser.post("/subscribe/monthly").headers().firstValue("Location").orElseThrow();

                stripe.pauseDeliveries();
                Http.send(HttpRequest.newBuilder(URI.create(checkout + "/pay")).POST(HttpRequest.BodyPublishers
                        .noBody()));
                cluster.stop();
                assertThat(stripe.redeliver()).as("no 2xx while the database is down").isZero();
                byte[] event = stripe.eventJson(stripe.eventIds("invoice.paid").get(0))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                var answer = Http.send(HttpRequest.newBuilder(URI.create(base + "/stripe/webhook"))
                        .header("Stripe-Signature", FakeStripe.signature(event, BillingTest.SECRET,
                                java.time.Instant.now().getEpochSecond()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event)));
                assertThat(answer.statusCode()).isEqualTo(500);
                assertThat(answer.body()).isEqualTo("{\"error\":\"not applied; deliver it again\"}");

                server = cluster.acquire();
                assertThat(database.<Long>value("SELECT count(*) FROM subscription")).as("nothing granted")
                        .isZero();
                assertThat(database.<Long>value("SELECT count(*) FROM stripe_event")).isZero();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (database.<Long>value("SELECT count(*) FROM stripe_event") < 3 && System.nanoTime() < deadline) {
                    stripe.redeliver(); // the pool may hand out a connection from before the restart once
                }
                assertThat(database.<Long>value("SELECT count(*) FROM stripe_event")).isEqualTo(3);
                assertThat(database.<String>value("SELECT status FROM subscription")).isEqualTo("active");
                assertThat(stripe.redeliver()).as("nothing left undelivered").isZero();
            } finally {
                site.after();
            }
        } finally {
            server.close();
            cluster.stop();
        }
    }
}
