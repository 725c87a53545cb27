package dev.athanor.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.stripe.StripeClient;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Coupon;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.Price;
import com.stripe.model.StripeCollection;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.EventListParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Stripe fake, driven through the real stripe-java client, a plain HTTP client and a webhook receiver. */
class FakeStripeTest {

    private static final String KEY = "sk_test_fake";
    private static final String SIGNING_SECRET = "whsec_test";
    private static final HttpClient BROWSER = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private FakeStripe fake;
    private Receiver receiver;
    private StripeClient stripe;

    @BeforeEach
    void start() {
        fake = new FakeStripe(KEY);
        receiver = new Receiver();
        fake.webhooks(receiver.url(), SIGNING_SECRET);
        fake.price("price_monthly", 1200, "usd", "month", "Athanor Monthly");
        fake.price("price_yearly", 999, "usd", "year", "Athanor Yearly");
        fake.percentCoupon("quarter_off", new BigDecimal("25"));
        fake.percentCoupon("odd_off", new BigDecimal("12.5"));
        fake.amountCoupon("five_off", 500, "usd");
        fake.amountCoupon("everything_off", 5000, "usd");
        stripe = client(0);
    }

    @AfterEach
    void stop() {
        fake.close();
        receiver.close();
    }

    @Test
    void customersPricesAndCouponsDeserialize() throws StripeException {
        Customer customer = stripe.v1().customers().create(CustomerCreateParams.builder()
                .setEmail("ada@example.com").putMetadata("learner_id", "7").build());
        Customer again = stripe.v1().customers().retrieve(customer.getId());
        Price price = stripe.v1().prices().retrieve("price_monthly");
        Coupon percent = stripe.v1().coupons().retrieve("odd_off");
        Coupon amount = stripe.v1().coupons().retrieve("five_off");

        assertThat(customer.getId()).startsWith("cus_");
        assertThat(again.getEmail()).isEqualTo("ada@example.com");
        assertThat(again.getMetadata()).containsExactly(Map.entry("learner_id", "7"));
        assertThat(again.getLivemode()).isFalse();
        assertThat(again.getCreated()).isCloseTo(Instant.now().getEpochSecond(), within(5L));
        assertThat(price.getUnitAmount()).isEqualTo(1200);
        assertThat(price.getCurrency()).isEqualTo("usd");
        assertThat(price.getRecurring().getInterval()).isEqualTo("month");
        assertThat(price.getRecurring().getIntervalCount()).isEqualTo(1);
        assertThat(price.getNickname()).isEqualTo("Athanor Monthly");
        assertThat(price.getProduct()).startsWith("prod_");
        assertThat(percent.getPercentOff()).isEqualByComparingTo("12.5");
        assertThat(percent.getValid()).isTrue();
        assertThat(amount.getAmountOff()).isEqualTo(500);
        assertThat(amount.getDuration()).isEqualTo("forever");
    }

    @Test
    void unknownIdsAndWrongKeysAnswerStripesErrors() {
        assertThatThrownBy(() -> stripe.v1().subscriptions().retrieve("sub_nope"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getCode()).isEqualTo("resource_missing");
                    assertThat(e.getStripeError().getMessage()).isEqualTo("No such subscription: 'sub_nope'");
                });
        StripeClient wrongKey = StripeClient.builder().setApiKey("sk_test_other").setApiBase(fake.url())
                .setMaxNetworkRetries(0).build();
        assertThatThrownBy(() -> wrongKey.v1().prices().retrieve("price_monthly"))
                .isInstanceOfSatisfying(AuthenticationException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(401));
    }

    @Test
    void checkoutTotalsApplyTheCoupon() throws Exception {
        assertThat(checkout("price_monthly", "quarter_off").getAmountTotal()).isEqualTo(900);
        assertThat(checkout("price_yearly", "odd_off").getAmountTotal()).as("124.875 rounds to 125").isEqualTo(874);
        assertThat(checkout("price_monthly", "five_off").getAmountTotal()).isEqualTo(700);
        assertThat(checkout("price_monthly", "everything_off").getAmountTotal()).isZero();
        Session plain = checkout("price_monthly", null);
        assertThat(plain.getAmountSubtotal()).isEqualTo(1200);
        assertThat(plain.getAmountTotal()).isEqualTo(1200);
        assertThat(plain.getStatus()).isEqualTo("open");
        assertThat(plain.getPaymentStatus()).isEqualTo("unpaid");
        assertThat(plain.getUrl()).isEqualTo(fake.url() + "/checkout/" + plain.getId());
        assertThat(plain.getSubscription()).isNull();

        HttpResponse<String> page = get(plain.getUrl());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<span id=\"amount-total\">12.00</span> <span id=\"currency\">USD</span>")
                .contains("Athanor Monthly")
                .contains("<form method=\"post\" action=\"/checkout/" + plain.getId() + "/pay\">")
                .contains("<button id=\"pay\" type=\"submit\">Subscribe</button>");
    }

    @Test
    void checkoutRejectsWhatItCannotSell() {
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(checkoutParams("price_monthly", null)
                .setMode(SessionCreateParams.Mode.PAYMENT).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getStripeError().getParam()).isEqualTo("mode");
                });
        assertThatThrownBy(() -> checkout("price_nope", null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getStripeError().getParam()).isEqualTo("line_items[0][price]");
                });
        assertThatThrownBy(() -> checkout("price_monthly", "coupon_nope"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getStripeError().getParam()).isEqualTo("discounts[0][coupon]");
                });
        assertThat(fake.created("checkout.session")).isZero();
    }

    @Test
    void payingSubscribesAndDeliversThreeSignedEventsInOrder() throws Exception {
        Session session = checkout("price_monthly", "quarter_off");

        HttpResponse<String> paid = pay(session.getId());

        assertThat(paid.statusCode()).isEqualTo(303);
        assertThat(paid.headers().firstValue("Location"))
                .hasValue("https://learn.example.com/billing/done?session=" + session.getId());
        List<Event> events = receiver.verifiedEvents();
        assertThat(events).extracting(Event::getType).containsExactly("checkout.session.completed",
                "customer.subscription.created", "invoice.paid");
        Session completed = (Session) events.get(0).getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(completed.getStatus()).isEqualTo("complete");
        assertThat(completed.getPaymentStatus()).isEqualTo("paid");
        assertThat(completed.getClientReferenceId()).isEqualTo("7");
        assertThat(completed.getMetadata()).containsEntry("learner_id", "7");
        assertThat(receiver.bodies().get(0)).isEqualTo(fake.eventJson(events.get(0).getId()));
        assertThat(fake.eventIds("invoice.paid")).containsExactly(events.get(2).getId());

        Session retrieved = stripe.v1().checkout().sessions().retrieve(session.getId());
        assertThat(retrieved.getStatus()).isEqualTo("complete");
        assertThat(retrieved.getCustomer()).isEqualTo(fake.customerOfSession(session.getId())).startsWith("cus_");
        assertThat(retrieved.getSubscription()).isEqualTo(fake.subscriptionOf(retrieved.getCustomer()));

        Subscription subscription = stripe.v1().subscriptions().retrieve(retrieved.getSubscription());
        SubscriptionItem item = subscription.getItems().getData().get(0);
        assertThat(subscription.getStatus()).isEqualTo("active");
        assertThat(subscription.getCancelAtPeriodEnd()).isFalse();
        assertThat(subscription.getMetadata()).containsExactly(Map.entry("tier", "t1"));
        assertThat(item.getPrice().getId()).isEqualTo("price_monthly");
        assertThat(item.getQuantity()).isEqualTo(1);
        assertThat(item.getCurrentPeriodEnd()).isEqualTo(Instant.ofEpochSecond(item.getCurrentPeriodStart())
                .atZone(ZoneOffset.UTC).plusMonths(1).toEpochSecond());

        Invoice invoice = stripe.v1().invoices().retrieve(subscription.getLatestInvoice());
        assertThat(invoice.getParent().getSubscriptionDetails().getSubscription()).isEqualTo(subscription.getId());
        assertThat(invoice.getStatus()).isEqualTo("paid");
        assertThat(invoice.getAmountPaid()).isEqualTo(900);
        assertThat(invoice.getBillingReason()).isEqualTo("subscription_create");
        assertThat(invoice.getHostedInvoiceUrl()).isEqualTo(fake.url() + "/invoice/" + invoice.getId());

        Session expanded = stripe.v1().checkout().sessions().retrieve(session.getId(),
                SessionRetrieveParams.builder().addExpand("subscription").build());
        assertThat(expanded.getSubscriptionObject().getStatus()).isEqualTo("active");

        assertThat(pay(session.getId()).statusCode()).as("a session is paid once").isEqualTo(409);
        assertThat(fake.created("subscription")).isEqualTo(1);
    }

    @Test
    void aSessionWithOnlyAnEmailGetsANewCustomerWhenPaid() throws Exception {
        Session session = stripe.v1().checkout().sessions().create(checkoutParams("price_yearly", null)
                .setCustomerEmail("new@example.com").build());

        pay(session.getId());

        Customer customer = stripe.v1().customers().retrieve(fake.customerOfSession(session.getId()));
        assertThat(customer.getEmail()).isEqualTo("new@example.com");
        SubscriptionItem item = stripe.v1().subscriptions().retrieve(fake.subscriptionOf(customer.getId()))
                .getItems().getData().get(0);
        assertThat(item.getCurrentPeriodEnd()).isEqualTo(Instant.ofEpochSecond(item.getCurrentPeriodStart())
                .atZone(ZoneOffset.UTC).plusYears(1).toEpochSecond());
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstAnswer() throws StripeException {
        RequestOptions key = RequestOptions.builder().setIdempotencyKey("create-ada").build();
        CustomerCreateParams ada = CustomerCreateParams.builder().setEmail("ada@example.com").build();

        Customer first = stripe.v1().customers().create(ada, key);
        Customer second = stripe.v1().customers().create(ada, key);

        assertThat(second.getId()).isEqualTo(first.getId());
        assertThat(second.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.getLastResponse().headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(fake.created("customer")).isEqualTo(1);
        assertThat(fake.posts("/v1/customers")).isEqualTo(2);
        assertThatThrownBy(() -> stripe.v1().customers().create(
                CustomerCreateParams.builder().setEmail("grace@example.com").build(), key))
                .isInstanceOfSatisfying(IdempotencyException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getStripeError().getType()).isEqualTo("idempotency_error");
                });
        assertThat(fake.created("customer")).isEqualTo(1);
    }

    @Test
    void aClientThatGivesUpOnASlowAnswerRetriesAndGetsTheSameSession() throws StripeException {
        StripeClient impatient = StripeClient.builder().setApiKey(KEY).setApiBase(fake.url())
                .setReadTimeout(1000).setMaxNetworkRetries(2).build();
        fake.delayNext("/v1/checkout/sessions", Duration.ofMillis(2500));

        Session session = impatient.v1().checkout().sessions().create(checkoutParams("price_monthly", null).build(),
                RequestOptions.builder().setIdempotencyKey("checkout-7-monthly").build());

        assertThat(session.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(fake.posts("/v1/checkout/sessions")).isEqualTo(2);
        assertThat(fake.created("checkout.session")).isEqualTo(1);
        assertThat(stripe.v1().checkout().sessions().retrieve(session.getId()).getAmountTotal()).isEqualTo(1200);
    }

    @Test
    void failNextAnswersOutagesWithoutProcessing() throws StripeException {
        fake.failNext("/v1/customers", 2);

        assertThatThrownBy(() -> stripe.v1().customers().create(CustomerCreateParams.builder().build()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(500);
                    assertThat(e.getStripeError().getMessage()).isEqualTo("fake outage");
                });
        StripeClient retrying = client(1);
        Customer customer = retrying.v1().customers().create(CustomerCreateParams.builder().build());

        assertThat(customer.getId()).startsWith("cus_");
        assertThat(fake.posts("/v1/customers")).isEqualTo(3);
        assertThat(fake.created("customer")).isEqualTo(1);
    }

    @Test
    void concurrentRequestsEachCreateTheirOwnObject() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Callable<String> create = () -> stripe.v1().customers().create(CustomerCreateParams.builder().build())
                        .getId();
                ids.add(pool.submit(create));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> id : ids) {
                distinct.add(id.get());
            }
            assertThat(distinct).hasSize(40);
            assertThat(fake.created("customer")).isEqualTo(40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pausedEventsWaitUndeliveredAndListNewestFirstInPages() throws Exception {
        String subscription = subscribe();
        long since = Instant.now().getEpochSecond();
        int deliveredBefore = receiver.bodies().size();
        fake.pauseDeliveries();

        String first = fake.emit("test.one", Map.of("id", "thing_1", "object", "thing"));
        fake.updateStatus(subscription, "past_due");
        String third = fake.emit("test.three", Map.of("id", "thing_3", "object", "thing"));
        fake.resumeDeliveries();

        assertThat(receiver.bodies()).hasSize(deliveredBefore);
        String second = fake.eventIds("customer.subscription.updated").get(0);
        StripeCollection<Event> page = stripe.v1().events().list(EventListParams.builder()
                .setDeliverySuccess(false).setLimit(2L)
                .setCreated(EventListParams.Created.builder().setGte(since).build()).build());
        assertThat(page.getData()).extracting(Event::getId).containsExactly(third, second);
        assertThat(page.getHasMore()).isTrue();
        assertThat(page.getData().get(0).getPendingWebhooks()).isEqualTo(1);
        StripeCollection<Event> next = stripe.v1().events().list(EventListParams.builder()
                .setDeliverySuccess(false).setLimit(2L).setStartingAfter(second).build());
        assertThat(next.getData()).extracting(Event::getId).containsExactly(first);
        assertThat(next.getHasMore()).isFalse();
        Subscription updated = (Subscription) page.getData().get(1).getDataObjectDeserializer().getObject()
                .orElseThrow();
        assertThat(updated.getStatus()).isEqualTo("past_due");
        assertThat(stripe.v1().events().list(EventListParams.builder().setDeliverySuccess(true).build()).getData())
                .hasSize(3);

        receiver.answer(500);
        assertThat(fake.redeliver()).isZero();
        receiver.answer(200);
        assertThat(fake.redeliver()).isEqualTo(3);
        assertThat(receiver.verifiedEvents()).extracting(Event::getId).endsWith(first, second, third);
        assertThat(stripe.v1().events().list(EventListParams.builder().setDeliverySuccess(false).build()).getData())
                .isEmpty();
    }

    @Test
    void anUnreachableEndpointLeavesEventsUndelivered() throws StripeException {
        receiver.close();

        String id = fake.emit("test.lost", Map.of("id", "thing_1", "object", "thing"));

        assertThat(stripe.v1().events().list(EventListParams.builder().setDeliverySuccess(false).build()).getData())
                .extracting(Event::getId).containsExactly(id);
        assertThat(fake.redeliver()).isZero();
    }

    @Test
    void refundsAndCancellationsEmitTheirEvents() throws Exception {
        String subscriptionId = subscribe();
        String customer = (String) fake.subscription(subscriptionId).get("customer");

        String chargeId = fake.refundLatestCharge(customer);
        Charge charge = stripe.v1().charges().retrieve(chargeId);
        assertThat(charge.getRefunded()).isTrue();
        assertThat(charge.getAmountRefunded()).isEqualTo(charge.getAmount()).isEqualTo(900);
        assertThat(charge.getCustomer()).isEqualTo(customer);
        assertThat(charge.getStatus()).isEqualTo("succeeded");
        assertThat(lastDeliveredType()).isEqualTo("charge.refunded");

        Subscription canceled = stripe.v1().subscriptions().cancel(subscriptionId);
        assertThat(canceled.getStatus()).isEqualTo("canceled");
        assertThat(canceled.getCanceledAt()).isNotNull();
        assertThat(canceled.getEndedAt()).isNotNull();
        assertThat(lastDeliveredType()).isEqualTo("customer.subscription.deleted");

        Subscription again = stripe.v1().subscriptions().cancel(subscriptionId);
        assertThat(again.getCanceledAt()).isEqualTo(canceled.getCanceledAt());
        assertThat(fake.eventIds("customer.subscription.deleted")).hasSize(1);
    }

    @Test
    void renewalsMoveThePeriodOrFailIt() throws Exception {
        String subscriptionId = subscribe();
        long periodEnd = stripe.v1().subscriptions().retrieve(subscriptionId).getItems().getData().get(0)
                .getCurrentPeriodEnd();

        String failed = fake.failPayment(subscriptionId);
        assertThat(stripe.v1().subscriptions().retrieve(subscriptionId).getStatus()).isEqualTo("past_due");
        Invoice open = stripe.v1().invoices().retrieve(failed);
        assertThat(open.getStatus()).isEqualTo("open");
        assertThat(open.getAmountPaid()).isZero();
        assertThat(open.getAmountDue()).isEqualTo(900);
        assertThat(open.getBillingReason()).isEqualTo("subscription_cycle");
        assertThat(receiver.types()).endsWith("invoice.payment_failed", "customer.subscription.updated");

        String needsAction = fake.requireAction(subscriptionId);
        assertThat(stripe.v1().invoices().retrieve(needsAction).getStatus()).isEqualTo("open");
        assertThat(lastDeliveredType()).isEqualTo("invoice.payment_action_required");

        String renewed = fake.payInvoice(subscriptionId);
        Subscription active = stripe.v1().subscriptions().retrieve(subscriptionId);
        assertThat(active.getStatus()).isEqualTo("active");
        assertThat(active.getItems().getData().get(0).getCurrentPeriodStart()).isEqualTo(periodEnd);
        Invoice paid = stripe.v1().invoices().retrieve(renewed);
        assertThat(paid.getAmountPaid()).isEqualTo(900);
        assertThat(paid.getPeriodStart()).isEqualTo(periodEnd);
        assertThat(receiver.types()).endsWith("invoice.paid", "customer.subscription.updated");
    }

    @Test
    void thePortalSchedulesTheCancellation() throws Exception {
        String subscriptionId = subscribe();
        String customer = (String) fake.subscription(subscriptionId).get("customer");
        com.stripe.model.billingportal.Session portal = stripe.v1().billingPortal().sessions().create(
                com.stripe.param.billingportal.SessionCreateParams.builder().setCustomer(customer)
                        .setReturnUrl("https://learn.example.com/account").build());
        assertThat(portal.getUrl()).isEqualTo(fake.url() + "/portal/" + portal.getId());

        assertThat(get(portal.getUrl()).body()).contains("<form method=\"post\" action=\"/portal/" + portal.getId()
                + "/cancel\"><button id=\"cancel-plan\">Cancel plan</button></form>");
        HttpResponse<String> canceled = post(portal.getUrl() + "/cancel");

        assertThat(canceled.statusCode()).isEqualTo(303);
        assertThat(canceled.headers().firstValue("Location")).hasValue("https://learn.example.com/account");
        Subscription subscription = stripe.v1().subscriptions().retrieve(subscriptionId);
        assertThat(subscription.getCancelAtPeriodEnd()).isTrue();
        assertThat(subscription.getStatus()).isEqualTo("active");
        Subscription delivered = (Subscription) receiver.verifiedEvents().get(receiver.bodies().size() - 1)
                .getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(delivered.getCancelAtPeriodEnd()).isTrue();
    }

    @Test
    void closingStopsTheServer() {
        String url = fake.url();
        fake.close();

        assertThatThrownBy(() -> BROWSER.send(HttpRequest.newBuilder(URI.create(url + "/v1/events")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    }

    // ---- helpers ----

    private StripeClient client(int maxNetworkRetries) {
        return StripeClient.builder().setApiKey(KEY).setApiBase(fake.url()).setMaxNetworkRetries(maxNetworkRetries)
                .build();
    }

    private Session checkout(String price, String coupon) throws StripeException {
        return stripe.v1().checkout().sessions().create(checkoutParams(price, coupon).build());
    }

    private SessionCreateParams.Builder checkoutParams(String price, String coupon) {
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setClientReferenceId("7")
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(price).setQuantity(1L).build())
                .putMetadata("learner_id", "7")
                .setSubscriptionData(SessionCreateParams.SubscriptionData.builder().putMetadata("tier", "t1").build())
                .setSuccessUrl("https://learn.example.com/billing/done?session={CHECKOUT_SESSION_ID}")
                .setCancelUrl("https://learn.example.com/pricing");
        if (coupon != null) {
            params.addDiscount(SessionCreateParams.Discount.builder().setCoupon(coupon).build());
        }
        return params;
    }

    /** A paid monthly subscription with the 25% coupon (900 a month); returns its id. */
    private String subscribe() throws Exception {
        Customer customer = stripe.v1().customers().create(CustomerCreateParams.builder()
                .setEmail("ada@example.com").build());
        Session session = stripe.v1().checkout().sessions().create(checkoutParams("price_monthly", "quarter_off")
                .setCustomer(customer.getId()).build());
        assertThat(pay(session.getId()).statusCode()).isEqualTo(303);
        return fake.subscriptionOf(customer.getId());
    }

    private HttpResponse<String> pay(String sessionId) throws Exception {
        return post(fake.url() + "/checkout/" + sessionId + "/pay");
    }

    private String lastDeliveredType() {
        List<String> types = receiver.types();
        return types.get(types.size() - 1);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return BROWSER.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url) throws Exception {
        return BROWSER.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A webhook endpoint that keeps what it was sent and answers with a status the test sets. */
    private static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final List<String> bodies = new CopyOnWriteArrayList<>();
        private final List<String> signatures = new CopyOnWriteArrayList<>();
        private final AtomicInteger status = new AtomicInteger(200);

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePort.find()), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/webhooks", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
                int answer = status.get();
                if (answer / 100 == 2) {
                    bodies.add(body);
                    signatures.add(exchange.getRequestHeaders().getFirst("Stripe-Signature"));
                }
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
        }

        void answer(int code) {
            status.set(code);
        }

        List<String> bodies() {
            return List.copyOf(bodies);
        }

        List<String> types() {
            return verifiedEvents().stream().map(Event::getType).toList();
        }

        /** Every accepted event, after checking its signature as the site does. */
        List<Event> verifiedEvents() {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                try {
                    assertThat(Webhook.Signature.verifyHeader(bodies.get(i), signatures.get(i), SIGNING_SECRET, 300))
                            .isTrue();
                } catch (StripeException e) {
                    throw new AssertionError(e);
                }
                events.add(ApiResource.GSON.fromJson(bodies.get(i), Event.class));
            }
            return events;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
