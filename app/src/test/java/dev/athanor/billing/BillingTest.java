package dev.athanor.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Browser;
import dev.athanor.testing.FakeStripe;
import dev.athanor.testing.FreePort;
import dev.athanor.testing.Http;
import dev.athanor.testing.Operators;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestMail;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import dev.athanor.testing.WithinASecond;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subscriptions end to end against the real site and PostgreSQL, with Stripe faked at the HTTP level (stripe-java
 * pointed at {@link FakeStripe}, webhooks signed as Stripe signs them) and mail received by a real SMTP server.
 */
class BillingTest {

    static final String SECRET = "whsec_test_secret";
    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final TestMail MAIL = new TestMail();
    private static final FakeStripe STRIPE = new FakeStripe("sk_test_fake");
    private static final int PORT = FreePort.find();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    static {
        STRIPE.price("price_monthly", 1500, "usd", "month", "Monthly");
        STRIPE.price("price_yearly", 15000, "usd", "year", "Yearly");
        STRIPE.percentCoupon("coupon_tier1", new BigDecimal("33.33"));
        STRIPE.amountCoupon("coupon_tier2", 333, "usd");
    }

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, overrides());

    static ConfigOverride[] overrides() {
        List<ConfigOverride> all = new ArrayList<>(List.of(MAIL.overrides()));
        all.add(ConfigOverride.config("billing.secretKey", "sk_test_fake"));
        all.add(ConfigOverride.config("billing.apiBase", STRIPE.url()));
        all.add(ConfigOverride.config("billing.stripeTimeout", "1s"));
        all.add(ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(PORT)));
        all.add(ConfigOverride.config("site.baseUrl", "http://127.0.0.1:" + PORT));
        return all.toArray(new ConfigOverride[0]);
    }

    @BeforeAll
    static void webhooksAndContent() throws Exception {
        STRIPE.webhooks(base() + "/stripe/webhook", SECRET);
        site().content().importFolder(java.nio.file.Path.of("..", "content", "demo"), false);
    }

    @AfterAll
    static void stop() {
        STRIPE.close();
        MAIL.close();
    }

    // ---- the webhook's signature

    @Test
    void everyBadSignatureAnswers400AndChangesNothing() throws Exception {
        Subscriber subscriber = subscribed("monthly", null);
        STRIPE.pauseDeliveries();
        try {
            STRIPE.scheduleCancel(subscriber.subscription());
        } finally {
            STRIPE.resumeDeliveries();
        }
        String eventId = last(STRIPE.eventIds("customer.subscription.updated"));
        byte[] body = STRIPE.eventJson(eventId).getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String valid = FakeStripe.signature(body, SECRET, now);
        String v1 = valid.substring(valid.indexOf("v1="));
        byte[] changed = body.clone();
        int quote = new String(body, StandardCharsets.UTF_8).indexOf("\"active\"");
        changed[quote + 1] = 'A';
        byte[] reindented = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body));

        Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
        answers.put("no header", webhook(body, null));
        answers.put("t=abc", webhook(body, "t=abc," + v1));
        answers.put("bare t", webhook(body, "t," + v1));
        answers.put("no v1", webhook(body, "t=" + now));
        answers.put("v0 only", webhook(body, "t=" + now + ",v0=" + "ab".repeat(32)));
        answers.put("garbage", webhook(body, ";;==,=,t=,v1="));
        answers.put("wrong secret", webhook(body, FakeStripe.signature(body, "whsec_other", now)));
        answers.put("one changed byte", webhook(changed, valid));
        answers.put("re-indented JSON", webhook(reindented, valid));
        answers.put("stale", webhook(body, FakeStripe.signature(body, SECRET, now - 301)));
        answers.put("from the future", webhook(body, FakeStripe.signature(body, SECRET, now + 3600)));
        answers.put("signed non-event", webhook("[1,2]".getBytes(StandardCharsets.UTF_8),
                FakeStripe.signature("[1,2]".getBytes(StandardCharsets.UTF_8), SECRET, now)));
        answers.forEach((name, answer) -> {
            assertThat(answer.statusCode()).as(name).isEqualTo(400);
            assertThat(answer.body()).as(name).startsWith("{\"error\":").doesNotContain("Exception");
        });
        assertThat(ledger(eventId)).isZero();
        assertThat(column(subscriber.subscription(), "cancel_at_period_end")).isEqualTo(false);

        HttpResponse<String> good = webhook(body, valid);
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(good.body()).isEqualTo("{\"outcome\":\"applied\"}");
        assertThat(column(subscriber.subscription(), "cancel_at_period_end")).isEqualTo(true);
        assertThat(webhook(body, valid).body()).isEqualTo("{\"outcome\":\"duplicate\"}");
    }

    @Test
    void theSameEventTenTimesAtOnceHasOneEffect() throws Exception {
        Subscriber subscriber = subscribed("monthly", null);
        String invoicePaid = last(STRIPE.eventIds("invoice.paid"));
        int receipts = outbox(subscriber.email(), "receipt");
        assertThat(receipts).as("the checkout's own receipt").isEqualTo(1);
        DATABASE.execute("DELETE FROM stripe_event WHERE id = ?", invoicePaid);

        byte[] body = STRIPE.eventJson(invoicePaid).getBytes(StandardCharsets.UTF_8);
        String signature = FakeStripe.signature(body, SECRET, Instant.now().getEpochSecond());
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(pool.submit((Callable<HttpResponse<String>>) () -> webhook(body, signature)));
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(200);
                outcomes.add(answer.get().body());
            }
            assertThat(outcomes).containsOnlyOnce("{\"outcome\":\"applied\"}");
            assertThat(outcomes).filteredOn(outcome -> outcome.contains("duplicate")).hasSize(9);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ledger(invoicePaid)).isEqualTo(1);
        assertThat(outbox(subscriber.email(), "receipt")).as("one more receipt, not ten").isEqualTo(2);
    }

    @Test
    void eventsInAnyOrderEndInStripesState() {
        String email = newAddress();
        Browser browser = signedUp(email);
        STRIPE.pauseDeliveries();
        String session;
        try {
            session = checkout(browser, "yearly", null);
            pay(session);
        } finally {
            STRIPE.resumeDeliveries();
        }
        String subscription = STRIPE.subscriptionOf(STRIPE.customerOfSession(session));
        STRIPE.pauseDeliveries();
        try {
            STRIPE.scheduleCancel(subscription);
        } finally {
            STRIPE.resumeDeliveries();
        }
        List<String> order = List.of(last(STRIPE.eventIds("customer.subscription.updated")),
                last(STRIPE.eventIds("invoice.paid")), last(STRIPE.eventIds("customer.subscription.created")),
                last(STRIPE.eventIds("checkout.session.completed")));
        for (String id : order) {
            byte[] body = STRIPE.eventJson(id).getBytes(StandardCharsets.UTF_8);
            assertThat(webhook(body, FakeStripe.signature(body, SECRET, Instant.now().getEpochSecond()))
                    .statusCode()).isEqualTo(200);
        }
        assertThat(column(subscription, "status")).isEqualTo("active");
        assertThat(column(subscription, "cancel_at_period_end")).as("the created event came last but is not"
                + " what counts").isEqualTo(true);
        assertThat(column(subscription, "plan")).isEqualTo("yearly");
        assertEntitled(email, true);
        assertThat(DATABASE.<String>value("SELECT lifecycle FROM newsletter_contact c JOIN learner l"
                + " ON l.id = c.learner_id WHERE l.email = ?", email)).isEqualTo("cancel-scheduled");
    }

    @Test
    void anEntitlementLapsesWhenTheSubscriptionIsDeletedOrRefunded() {
        Subscriber deleted = subscribed("monthly", null);
        assertEntitled(deleted.email(), true);
        assertThat(lesson(deleted.browser())).contains("<video");
        STRIPE.delete(deleted.subscription());
        assertEntitled(deleted.email(), false);
        assertThat(lesson(deleted.browser())).doesNotContain("<video").contains("This lesson is for subscribers");

        Subscriber refunded = subscribed("monthly", null);
        STRIPE.refundLatestCharge(refunded.customer());
        assertThat(STRIPE.subscription(refunded.subscription()).get("status")).as("cancelled at Stripe too")
                .isEqualTo("canceled");
        assertThat(column(refunded.subscription(), "status")).isEqualTo("canceled");
        assertEntitled(refunded.email(), false);
        assertThat(DATABASE.<String>value("SELECT lifecycle FROM newsletter_contact c JOIN learner l"
                + " ON l.id = c.learner_id WHERE l.email = ?", refunded.email())).isEqualTo("lapsed");
    }

    @Test
    void aFailedPaymentMailsALinkAndKeepsAccessForTheGracePeriodWithABanner() {
        Subscriber subscriber = subscribed("monthly", null);
        String invoice = STRIPE.failPayment(subscriber.subscription());
        var failed = MAIL.latest(subscriber.email(), "payment");
        assertThat(TestMail.plainText(failed)).contains(STRIPE.url() + "/invoice/" + invoice);
        assertThat(column(subscriber.subscription(), "status")).isEqualTo("past_due");
        assertEntitled(subscriber.email(), true);
        assertThat(lesson(subscriber.browser())).contains("<video", "Your last payment did not go through");

        DATABASE.execute("UPDATE subscription SET past_due_since = now() - interval '8 days'"
                + " WHERE stripe_subscription_id = ?", subscriber.subscription());
        assertEntitled(subscriber.email(), false, "past the 7-day grace");

        String action = STRIPE.requireAction(subscriber.subscription());
        assertThat(TestMail.plainText(MAIL.latest(subscriber.email(), "confirm"))).contains(STRIPE.url()
                + "/invoice/" + action);
        STRIPE.payInvoice(subscriber.subscription());
        assertEntitled(subscriber.email(), true);
        assertThat(column(subscriber.subscription(), "past_due_since")).isNull();
    }

    @Test
    void theReconcilerAppliesWhatAWebhookOutageMissedOnce() throws Exception {
        String email = newAddress();
        Browser browser = signedUp(email);
        STRIPE.pauseDeliveries();
        try {
            pay(checkout(browser, "monthly", null));
        } finally {
            STRIPE.resumeDeliveries();
        }
        assertEntitled(email, false, "nothing arrived");

        Billing.Reconciliation first = site().billing().reconcile(Duration.ofDays(3));
        assertThat(first.applied()).isGreaterThanOrEqualTo(3);
        assertEntitled(email, true);
        assertThat(outbox(email, "receipt")).isEqualTo(1);

        Billing.Reconciliation second = site().billing().reconcile(Duration.ofDays(3));
        assertThat(second.applied()).isZero();
        assertThat(second.alreadyApplied()).isEqualTo(first.applied() + first.alreadyApplied());
        assertThat(STRIPE.redeliver()).as("Stripe's own retries are harmless").isPositive();
        assertThat(outbox(email, "receipt")).isEqualTo(1);
    }

    // ---- subscribing and prices

    @Test
    void thePriceShownIsTheAmountChargedForEveryTierAndAnUnknownCountry() {
        Map<String, String> expected = Map.of("IN", "$10.00", "ID", "$10.00", "BR", "$11.67", "MX", "$11.67",
                "US", "$15.00", "ZZ", "$15.00", "", "$15.00");
        expected.forEach((country, price) -> {
            Browser browser = signedUp(newAddress());
            HttpResponse<String> page = pricing(browser, country);
            assertThat(amount(page.body(), "monthly")).as(country).isEqualTo(price);
            if (price.equals("$15.00")) {
                assertThat(page.body()).as(country).doesNotContain("Regional price");
            } else {
                assertThat(page.body()).as(country).contains("Regional price for");
            }
            String session = checkout(browser, "monthly", country);
            assertThat(hostedAmount(session)).as(country + " at Checkout").isEqualTo(price.substring(1));
        });
        Browser yearly = signedUp(newAddress());
        assertThat(amount(pricing(yearly, "IN").body(), "yearly")).isEqualTo("$100.00");
        assertThat(hostedAmount(checkout(yearly, "yearly", "IN"))).isEqualTo("100.00");
        assertThat(pricing(yearly, "IN").body()).contains("Regional price for India: 33.33% off every plan");
    }

    @Test
    void theCountryComesOnlyFromTheTrustedHeaderAndIsRecordedOnTheSubscription() {
        Browser browser = signedUp(newAddress());
        HttpResponse<String> fromQuery = browser.get("/subscribe?country=IN");
        assertThat(amount(fromQuery.body(), "monthly")).isEqualTo("$15.00");
        HttpResponse<String> forged = browser.postWithoutToken("/subscribe/monthly",
                Map.of("csrf", browser.csrf(), "country", "IN"));
        assertThat(hostedAmount(sessionOf(forged))).isEqualTo("15.00");

        Subscriber regional = subscribed("monthly", "BR");
        assertThat(column(regional.subscription(), "tier")).isEqualTo("tier-2");
        assertThat(column(regional.subscription(), "country")).isEqualTo("BR");
        assertThat(regional.browser().get("/account/subscription").body()).contains("tier-2 (BR)");
    }

    @Test
    void pressingSubscribeAgainAfterATimeoutOpensTheSameCheckout() {
        Browser browser = signedUp(newAddress());
        int before = STRIPE.created("checkout.session");
        STRIPE.delayNext("/v1/checkout/sessions", Duration.ofMillis(1500));
        String first = checkout(browser, "monthly", null);
        String second = checkout(browser, "monthly", null);
        assertThat(second).isEqualTo(first);
        assertThat(STRIPE.created("checkout.session") - before).isEqualTo(1);
        assertThat(STRIPE.posts("/v1/checkout/sessions")).isGreaterThan(STRIPE.created("checkout.session"));
    }

    @Test
    void subscribingNeedsASignedInLearnerAndTheFormToken() {
        HttpResponse<String> anonymous = Http.send(HttpRequest.newBuilder(URI.create(base() + "/subscribe/monthly"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")));
        assertThat(anonymous.statusCode()).isEqualTo(403);
        Browser browser = signedUp(newAddress());
        assertThat(browser.postWithoutToken("/subscribe/monthly", Map.of()).statusCode()).isEqualTo(403);
        assertThat(browser.post("/subscribe/weekly").statusCode()).isEqualTo(404);
        assertThat(Browser.at(base()).post("/subscribe/monthly").headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/login?next=%2Fsubscribe"));
    }

    @Test
    void whenStripeIsDownNothingIsChargedAndThePageSaysSo() {
        Browser browser = signedUp(newAddress());
        int before = STRIPE.posts("/v1/checkout/sessions");
        STRIPE.failNext("/v1/checkout/sessions", 3);
        HttpResponse<String> answer = browser.post("/subscribe/monthly");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).contains("Payments cannot be reached right now. Nothing was charged");
        assertThat(STRIPE.posts("/v1/checkout/sessions") - before).as("tried three times, then gave up")
                .isEqualTo(3);
        assertThat(browser.post("/subscribe/monthly").statusCode()).as("and works once Stripe is back")
                .isEqualTo(303);
    }

    @Test
    void theCustomerPortalCancelsAtThePeriodEnd() {
        Subscriber subscriber = subscribed("monthly", null);
        HttpResponse<String> portal = subscriber.browser().post("/account/subscription/portal");
        assertThat(portal.statusCode()).isEqualTo(303);
        String portalUrl = portal.headers().firstValue("Location").orElseThrow();
        assertThat(portalUrl).startsWith(STRIPE.url() + "/portal/");
        HttpResponse<String> cancelled = Http.send(HttpRequest.newBuilder(URI.create(portalUrl + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(cancelled.statusCode()).isEqualTo(303);
        assertThat(subscriber.browser().get("/account/subscription").body()).contains("active, ends");
        assertEntitled(subscriber.email(), true, "until the period ends");
    }

    // ---- manual grants

    @Test
    void theOperatorGrantsAndRevokesByHandAndEveryChangeIsAudited() {
        String email = newAddress();
        signedUp(email);
        site().accounts().createOperator("boss@example.com", "the operator's passphrase");
        Browser operator = Browser.at(base());
        Operators.signIn(operator, DATABASE, "boss@example.com", "the operator's passphrase");

        String until = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30).toString();
        assertThat(operator.post("/admin/members/grant", "email", email, "until", until, "note", "PayPal 42")
                .statusCode()).isEqualTo(303);
        assertEntitled(email, true);
        assertThat(operator.get("/admin/members").body()).contains(email, until, "PayPal 42");
        assertThat(TestMail.plainText(MAIL.latest(email, "access"))).contains(until).doesNotContain("PayPal");

        HttpResponse<String> unknown = operator.post("/admin/members/grant", "email", "ghost@example.com",
                "until", until);
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("no account has the address ghost@example.com");
        assertThat(operator.post("/admin/members/grant", "email", email, "until", "next week").body())
                .contains("YYYY-MM-DD");
        HttpResponse<String> farFuture = operator.post("/admin/members/grant", "email", email, "until",
                "+999999999-12-31");
        assertThat(farFuture.statusCode()).as("beyond what the database holds").isEqualTo(422);
        assertThat(farFuture.body()).contains("YYYY-MM-DD");

        assertThat(operator.post("/admin/members/revoke", "email", email).statusCode()).isEqualTo(303);
        assertEntitled(email, false);
        List<String> audit = DATABASE.jdbi().withHandle(handle -> handle.createQuery("""
                SELECT a.action || ' by ' || a.actor FROM grant_audit a JOIN learner l ON l.id = a.learner_id
                WHERE l.email = :email ORDER BY a.id""").bind("email", email).mapTo(String.class).list());
        assertThat(audit).containsExactly("grant by admin:boss@example.com", "revoke by admin:boss@example.com");
        Browser learner = Browser.at(base());
        learner.post("/login", "email", email, "password", PASSWORD);
        assertThat(learner.get("/admin/members").statusCode()).isEqualTo(404);
    }

    // ---- helpers

    static final String PASSWORD = "a subscriber's passphrase";

    record Subscriber(String email, Browser browser, String customer, String subscription) {
    }

    private static Subscriber subscribed(String plan, String country) {
        String email = newAddress();
        Browser browser = signedUp(email);
        String session = checkout(browser, plan, country);
        HttpResponse<String> paid = pay(session);
        assertThat(paid.headers().firstValue("Location")).hasValue(base() + "/subscribe/done?session_id=" + session);
        String customer = STRIPE.customerOfSession(session);
        String subscription = STRIPE.subscriptionOf(customer);
        assertEntitled(email, true, "the webhooks arrived");
        return new Subscriber(email, browser, customer, subscription);
    }

    private static Browser signedUp(String email) {
        Browser browser = Browser.at(base());
        assertThat(browser.post("/signup", "email", email, "password", PASSWORD).statusCode()).isEqualTo(200);
        String link = TestMail.linkPath(MAIL.latest(email, "Confirm your email address"), "/verify/");
        assertThat(browser.post(link).statusCode()).isEqualTo(200);
        assertThat(browser.post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(303);
        return browser;
    }

    private static HttpResponse<String> pricing(Browser browser, String country) {
        return browser.send(HttpRequest.newBuilder(URI.create(base() + "/subscribe")).GET()
                .header("X-Country-Code", country == null ? "" : country));
    }

    /** Presses Subscribe for {@code plan}; returns the Checkout session it leads to. */
    private static String checkout(Browser browser, String plan, String country) {
        HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(URI.create(base() + "/subscribe/" + plan))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Country-Code", country == null ? "" : country)
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + browser.csrf())));
        return sessionOf(answer);
    }

    private static String sessionOf(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(STRIPE.url() + "/checkout/");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static HttpResponse<String> pay(String session) {
        return Http.send(HttpRequest.newBuilder(URI.create(STRIPE.url() + "/checkout/" + session + "/pay"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static String hostedAmount(String session) {
        Matcher matcher = Pattern.compile("id=\"amount-total\">([^<]+)<").matcher(
                Http.get(STRIPE.url() + "/checkout/" + session).body());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static String amount(String page, String plan) {
        Matcher matcher = Pattern.compile("id=\"plan-" + plan + "\">.*?class=\"amount\">([^<]+)<", Pattern.DOTALL)
                .matcher(page);
        assertThat(matcher.find()).as(page).isTrue();
        return matcher.group(1);
    }

    private static String lesson(Browser browser) {
        return browser.get("/courses/java-from-scratch/loops").body();
    }

    static HttpResponse<String> webhook(byte[] body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/stripe/webhook"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return Http.send(request);
    }

    /**
     * Whether the site says {@code email} may watch is {@code expected}, within a second: a webhook's or an SQL
     * change reaches what the site keeps of learners through the database, a moment after it commits.
     */
    private static void assertEntitled(String email, boolean expected) {
        assertEntitled(email, expected, "entitled: " + expected);
    }

    private static void assertEntitled(String email, boolean expected, String what) {
        WithinASecond.until(what, () -> entitled(email) == expected);
    }

    private static boolean entitled(String email) {
        long learner = DATABASE.<Long>value("SELECT id FROM learner WHERE email = ?", email);
        return site().billing().isEntitled(learner);
    }

    private static Object column(String subscription, String column) {
        return DATABASE.value("SELECT " + column + " FROM subscription WHERE stripe_subscription_id = ?",
                subscription);
    }

    private static int ledger(String eventId) {
        return DATABASE.<Long>value("SELECT count(*) FROM stripe_event WHERE id = ?", eventId).intValue();
    }

    private static int outbox(String email, String template) {
        return DATABASE.<Long>value("SELECT count(*) FROM outbox WHERE recipient = ? AND template = ?", email,
                template).intValue();
    }

    private static String last(List<String> ids) {
        return ids.get(ids.size() - 1);
    }

    private static String newAddress() {
        return "subscriber" + ADDRESSES.incrementAndGet() + "-" + System.nanoTime() % 100000 + "@example.com";
    }

    private static TestSite site() {
        return (TestSite) SITE.getApplication();
    }

    static String base() {
        return "http://127.0.0.1:" + PORT;
    }
}
