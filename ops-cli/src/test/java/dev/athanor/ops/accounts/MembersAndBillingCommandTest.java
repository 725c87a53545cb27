package dev.athanor.ops.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.testing.Browser;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ops members} and {@code ops billing reconcile} against a running site's database and a fake Stripe. */
class MembersAndBillingCommandTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final FakeStripe STRIPE = new FakeStripe("sk_test_fake");

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("billing.secretKey", "sk_test_fake"),
            ConfigOverride.config("billing.apiBase", STRIPE.url()));

    @BeforeAll
    static void stripe() {
        STRIPE.price("price_monthly", 1500, "usd", "month", "Monthly");
        STRIPE.webhooks("http://127.0.0.1:" + SITE.getLocalPort() + "/stripe/webhook", "whsec_test_secret");
    }

    @AfterAll
    static void stop() {
        STRIPE.close();
    }

    @Test
    void grantListAndRevokeByHandAreAudited() throws Exception {
        signUp("paypal@example.com");
        String until = LocalDate.now(ZoneOffset.UTC).plusDays(10).toString();
        OpsRun granted = OpsRun.of("members", "grant", "paypal@example.com", "--until", until, "--note",
                "PayPal 1234", "--config", config(false).toString());
        assertThat(granted.exitCode()).as(granted.err()).isZero();
        assertThat(granted.out()).contains("paypal@example.com has access until the end of " + until);
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM outbox WHERE recipient = 'paypal@example.com'"
                + " AND template = 'grant'")).isEqualTo(1);

        OpsRun listed = OpsRun.of("members", "list", "--json", "--config", config(false).toString());
        JsonNode members = new ObjectMapper().readTree(listed.out());
        assertThat(members).anySatisfy(member -> {
            assertThat(member.get("email").asText()).isEqualTo("paypal@example.com");
            assertThat(member.get("source").asText()).isEqualTo("grant");
            assertThat(member.get("until").asText()).isEqualTo(until);
            assertThat(member.get("note").asText()).isEqualTo("PayPal 1234");
        });

        OpsRun revoked = OpsRun.of("members", "revoke", "paypal@example.com", "--config", config(false).toString());
        assertThat(revoked.exitCode()).isZero();
        assertThat(DATABASE.<String>value("SELECT string_agg(action || ':' || actor, ',' ORDER BY id) FROM"
                + " grant_audit")).matches("grant:ops:\\S+,revoke:ops:\\S+");
        OpsRun again = OpsRun.of("members", "revoke", "paypal@example.com", "--config", config(false).toString());
        assertThat(again.exitCode()).isEqualTo(66);
        assertThat(again.err().strip()).isEqualTo("ops: paypal@example.com has no grant running");

        OpsRun unknown = OpsRun.of("members", "grant", "nobody@example.com", "--until", until, "--config",
                config(false).toString());
        assertThat(unknown.exitCode()).isEqualTo(65);
        assertThat(unknown.err().strip()).isEqualTo("ops: no account has the address nobody@example.com; ask them"
                + " to sign up first");
        OpsRun badDate = OpsRun.of("members", "grant", "paypal@example.com", "--until", "soon", "--config",
                config(false).toString());
        assertThat(badDate.exitCode()).isEqualTo(2);
        assertThat(badDate.err()).contains("--until", "soon");
    }

    @Test
    void reconcileAppliesTheEventsAWebhookOutageMissed() throws Exception {
        Browser browser = signUp("outage@example.com");
        String checkout = browser.post("/subscribe/monthly").headers().firstValue("Location").orElseThrow();
        STRIPE.pauseDeliveries();
        try {
            Http.send(HttpRequest.newBuilder(URI.create(checkout + "/pay")).POST(HttpRequest.BodyPublishers.noBody()));
        } finally {
            STRIPE.resumeDeliveries();
        }
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM subscription")).isZero();

        OpsRun run = OpsRun.of("billing", "reconcile", "--config", config(true).toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("3 undelivered event(s): 3 applied, 0 already applied, 0 of no"
                + " concern");
        assertThat(DATABASE.<String>value("SELECT status FROM subscription")).isEqualTo("active");
        OpsRun json = OpsRun.of("billing", "reconcile", "--json", "--config", config(true).toString());
        assertThat(new ObjectMapper().readTree(json.out()).get("alreadyApplied").asInt()).isEqualTo(3);

        OpsRun off = OpsRun.of("billing", "reconcile", "--config", config(false).toString());
        assertThat(off.exitCode()).isEqualTo(78);
        assertThat(off.err().strip()).isEqualTo("ops: Stripe is not configured (billing.secretKey)");
    }

    private static Browser signUp(String email) {
        Browser browser = Browser.at("http://127.0.0.1:" + SITE.getLocalPort());
        assertThat(browser.post("/signup", "email", email, "password", "a long passphrase").statusCode())
                .isEqualTo(200);
        assertThat(browser.post("/login", "email", email, "password", "a long passphrase").statusCode())
                .isEqualTo(303);
        return browser;
    }

    private static Path config(boolean stripe) throws Exception {
        String config = Files.readString(Path.of("..", "config.yml"))
                .replace("${DATABASE_URL:-embedded}", DATABASE.jdbcUrl())
                .replace("${DATABASE_USER:-}", DATABASE.user()).replace("${DATABASE_PASSWORD:-}", DATABASE.password())
                .replace("${ATHANOR_DATA_DIR:-./data}", TestPostgres.newDirectory("ops-data").toString());
        if (stripe) {
            config = config.replace("${STRIPE_SECRET_KEY:-}", "sk_test_fake")
                    .replace("${STRIPE_PRICE_MONTHLY:-}", "price_monthly")
                    .replace("\nbilling:\n", "\nbilling:\n  apiBase: " + STRIPE.url() + "\n");
        }
        Path file = TestPostgres.newDirectory("ops-config").resolve("config.yml");
        Files.writeString(file, config);
        return file;
    }
}
