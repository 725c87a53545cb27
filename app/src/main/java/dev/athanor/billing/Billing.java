package dev.athanor.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;
import dev.athanor.mail.Mail;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The billing context's public face: prices, subscribing through Stripe Checkout, managing through the Customer
 * Portal, Stripe's webhooks and the reconciler that catches what they missed, and manual grants. Whether a learner
 * may watch is {@link Entitlements}'s answer.
 */
public final class Billing {

    /** The webhook's body is signed but is not a Stripe event. */
    public static final class BadPayload extends Exception {
        BadPayload(String message) {
            super(message);
        }
    }

    /** What a reconciliation found and did. */
    public record Reconciliation(int undelivered, int applied, int alreadyApplied, int ignored) {
    }

    /** A learner's subscription as the account page shows it. */
    public record Status(String plan, String status, String periodEnd, boolean cancelAtPeriodEnd, String tier,
            String country) {

        public boolean isLive() {
            return status.equals("active") || status.equals("trialing") || status.equals("past_due");
        }

        public boolean isPastDue() {
            return status.equals("past_due");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CHECKOUT_KEY_REUSE = Duration.ofHours(1);
    private static final Duration CUSTOMER_KEY_REUSE = Duration.ofHours(23);

    private final Jdbi jdbi;
    private final BillingFactory settings;
    private final String baseUrl;
    private final StripeGateway stripe;
    private final Pricing pricing;
    private final StripeEvents events;
    private final IdempotencyKeys keys;
    private final WebhookSignature signature;
    private final Grants grants;

    public Billing(Jdbi jdbi, BillingFactory settings, Mail mail, String baseUrl, Clock clock) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.baseUrl = baseUrl;
        this.stripe = new StripeGateway(settings);
        this.pricing = new Pricing(settings, stripe);
        this.events = new StripeEvents(jdbi, stripe, mail, settings, baseUrl);
        this.keys = new IdempotencyKeys(jdbi);
        this.signature = new WebhookSignature(settings.getWebhookSecret(), settings.webhookTolerance(), clock);
        this.grants = new Grants(jdbi, mail);
    }

    /** Whether there is anything to subscribe to (Stripe set up, at least one plan). */
    public boolean isOffered() {
        return settings.isConfigured() && !settings.getPlans().isEmpty();
    }

    public Pricing pricing() {
        return pricing;
    }

    public Grants grants() {
        return grants;
    }

    /** The visitor's country from the trusted header nginx sets (never from anything the visitor sends). */
    public Optional<String> country(java.util.function.Function<String, String> header) {
        String value = header.apply(settings.getCountryHeader());
        if (value == null || !value.strip().matches("[A-Za-z]{2}")) {
            return Optional.empty();
        }
        return Optional.of(value.strip().toUpperCase(Locale.ROOT));
    }

    /** The learner's newest subscription, if they ever had one. */
    public Optional<Status> status(long learnerId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT coalesce(plan, ''), status, coalesce(to_char(current_period_end, 'YYYY-MM-DD'), ''),
                       cancel_at_period_end, tier, country
                FROM subscription WHERE learner_id = :learner
                ORDER BY status IN ('active', 'trialing', 'past_due') DESC, created_at DESC LIMIT 1""")
                .bind("learner", learnerId)
                .map((rs, ctx) -> new Status(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6)))
                .findOne());
    }

    /**
     * A Checkout session for {@code plan} at the price {@link Pricing#quote} gives this visitor, with the regional
     * coupon and the tier recorded on the subscription. The idempotency key is stored before the call, so pressing
     * the button again after a timeout opens the same session.
     */
    public URI checkout(long learnerId, String email, String plan, Optional<String> country)
            throws Pricing.Unavailable, StripeException {
        Pricing.Quote quote = pricing.quote(plan, country);
        String customer = customer(learnerId, email);
        String fingerprint = String.join("|", quote.plan(), quote.priceId(), quote.coupon().orElse("-"),
                quote.country().orElse("-"), Long.toString(quote.amount()));
        String key = keys.keyFor(learnerId, "checkout", fingerprint, CHECKOUT_KEY_REUSE);
        SessionCreateParams.SubscriptionData.Builder subscription = SessionCreateParams.SubscriptionData.builder()
                .putMetadata("learner_id", Long.toString(learnerId)).putMetadata("plan", plan);
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION).setCustomer(customer)
                .setClientReferenceId(Long.toString(learnerId))
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(quote.priceId()).setQuantity(1L).build())
                .putMetadata("learner_id", Long.toString(learnerId)).putMetadata("plan", plan)
                .putMetadata("quoted_amount", Long.toString(quote.amount()))
                .setSuccessUrl(baseUrl + "/subscribe/done?session_id={CHECKOUT_SESSION_ID}")
                .setCancelUrl(baseUrl + "/subscribe");
        quote.coupon().ifPresent(coupon -> params.addDiscount(
                SessionCreateParams.Discount.builder().setCoupon(coupon).build()));
        quote.tier().ifPresent(tier -> {
            params.putMetadata("tier", tier);
            subscription.putMetadata("tier", tier);
        });
        quote.country().ifPresent(code -> {
            params.putMetadata("country", code);
            subscription.putMetadata("country", code);
        });
        Session session = stripe.createCheckout(params.setSubscriptionData(subscription.build()).build(), key);
        keys.made(key, session.getId());
        return URI.create(session.getUrl());
    }

    /** The Customer Portal, where the learner changes their card or plan or cancels; empty without a customer. */
    public Optional<URI> portal(long learnerId) throws StripeException {
        Optional<String> customer = existingCustomer(learnerId);
        if (customer.isEmpty()) {
            return Optional.empty();
        }
        // A portal session lives a few minutes; a key per minute keeps a double click to one session.
        String key = "athanor-portal-" + learnerId + "-" + Instant.now().getEpochSecond() / 60;
        return Optional.of(URI.create(stripe.portal(customer.get(), baseUrl + "/account/subscription", key)
                .getUrl()));
    }

    /** The learner is back from a Checkout: apply it now rather than wait for the webhook. */
    public void returnedFromCheckout(String sessionId) throws StripeException {
        if (sessionId != null && sessionId.matches("cs_[A-Za-z0-9_]{1,200}")) {
            events.applyReturn(sessionId);
        }
    }

    /** Whether webhooks can be received: a signing secret ({@code billing.webhookSecret}) is set. */
    public boolean acceptsWebhooks() {
        return signature.isConfigured();
    }

    /**
     * A webhook delivery: the signature is checked on the raw bytes first; then the event is applied once.
     *
     * @throws WebhookSignature.Invalid for any problem with the signature header (answer 400)
     * @throws BadPayload when the signed body is not an event (answer 400)
     * @throws StripeException when Stripe could not be asked for the object (answer 5xx: Stripe retries)
     */
    public StripeEvents.Outcome webhook(byte[] body, String signatureHeader)
            throws WebhookSignature.Invalid, BadPayload, StripeException {
        signature.verify(body, signatureHeader);
        return events.apply(parse(body), "webhook");
    }

    /** Applies the events of the last {@code lookback} whose delivery to the webhook failed. */
    public Reconciliation reconcile(Duration lookback) throws StripeException {
        int undelivered = 0;
        int applied = 0;
        int duplicates = 0;
        int ignored = 0;
        Duration bounded = lookback.compareTo(Duration.ofDays(30)) > 0 ? Duration.ofDays(30) : lookback;
        for (Event event : stripe.undeliveredSince(Instant.now().minus(bounded))) {
            undelivered++;
            String objectId;
            try {
                objectId = JSON.readTree(event.getDataObjectDeserializer().getRawJson()).path("id").asText();
            } catch (IOException e) {
                ignored++;
                continue;
            }
            StripeEvents.Outcome outcome = events.apply(new StripeEvents.Ref(event.getId(), event.getType(),
                    Instant.ofEpochSecond(event.getCreated()), objectId), "reconcile");
            switch (outcome) {
                case APPLIED -> applied++;
                case DUPLICATE -> duplicates++;
                case IGNORED -> ignored++;
            }
        }
        return new Reconciliation(undelivered, applied, duplicates, ignored);
    }

    private static StripeEvents.Ref parse(byte[] body) throws BadPayload {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException e) {
            throw new BadPayload("the body is not JSON");
        }
        String id = event.path("id").asText("");
        String type = event.path("type").asText("");
        JsonNode object = event.path("data").path("object");
        if (!id.startsWith("evt_") || type.isEmpty() || !event.path("created").canConvertToLong()
                || !object.path("id").isTextual()) {
            throw new BadPayload("the body is not a Stripe event (id, type, created, data.object.id)");
        }
        return new StripeEvents.Ref(id, type, Instant.ofEpochSecond(event.path("created").asLong()),
                object.path("id").asText());
    }

    private Optional<String> existingCustomer(long learnerId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                "SELECT stripe_customer_id FROM customer WHERE learner_id = :learner").bind("learner", learnerId)
                .mapTo(String.class).findOne());
    }

    private String customer(long learnerId, String email) throws StripeException {
        Optional<String> existing = existingCustomer(learnerId);
        if (existing.isPresent()) {
            return existing.get();
        }
        String key = keys.keyFor(learnerId, "customer", "customer", CUSTOMER_KEY_REUSE);
        String created = stripe.createCustomer(email, learnerId, key).getId();
        keys.made(key, created);
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO customer (learner_id, stripe_customer_id)"
                + " VALUES (:learner, :customer) ON CONFLICT DO NOTHING").bind("learner", learnerId)
                .bind("customer", created).execute());
        return existingCustomer(learnerId).orElse(created);
    }

    /**
     * Forgets the idempotency keys of Stripe requests made more than {@code age} ago, within {@code handle}'s
     * transaction (the hourly housekeeping): Stripe keeps a key for a day, so an older one can no longer be reused.
     * How many went.
     */
    public int forgetStripeRequests(Handle handle, Duration age) {
        return handle.attach(StripeRequestRetentionDao.class).deleteCreatedBefore(age.toSeconds());
    }
}
