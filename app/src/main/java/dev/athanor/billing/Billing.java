package dev.athanor.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;
import dev.athanor.accounts.Accounts;
import dev.athanor.mail.Mail;
import dev.athanor.platform.db.LearnerChanges;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * The billing context's public face: whether a learner may watch ({@link #access}), manual grants, and the
 * reconciler that catches the Stripe events the webhook missed; for the context's own pages, prices, subscribing
 * through Stripe Checkout, managing through the Customer Portal and Stripe's webhooks. Billing reads and writes only
 * its own tables; learners are found and named through {@link Accounts}.
 */
public final class Billing {

    /** What a learner has: whether they may watch, and until when a past-due subscription still lets them. */
    public record Access(boolean entitled, Optional<Instant> graceUntil) {

        /** No access (anonymous visitors, learners without a subscription or a grant). */
        public static final Access NONE = new Access(false, Optional.empty());

        /** True while access hangs on a failed payment being fixed. */
        public boolean inGrace() {
            return graceUntil.isPresent();
        }
    }

    /** A member as the operator lists them: who, how they have access, until when. */
    public record Member(String email, String source, String until, String note) {

        /** Whether this is a manual grant (which the operator may revoke). */
        public boolean isGrant() {
            return source.equals("grant");
        }
    }

    /** Something the operator asked for that cannot be done, said plainly. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** What a reconciliation found and did. */
    public record Reconciliation(int undelivered, int applied, int alreadyApplied, int ignored) {
    }

    /** The webhook's body is signed but is not a Stripe event. */
    static final class BadPayload extends Exception {
        BadPayload(String message) {
            super(message);
        }
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
    private final Entitlements entitlements;

    /**
     * Billing over {@code jdbi}'s database, with Stripe as {@code settings} say; mail (receipts, grants) is queued
     * through {@code mail}, and {@code baseUrl} is where Stripe sends learners back. {@code accounts} is asked for
     * only when a learner must be found or named by address (grants, the members list, mailed receipts), so work that
     * needs neither does not start the accounts context.
     */
    public Billing(Jdbi jdbi, BillingFactory settings, Mail mail, Supplier<Accounts> accounts, String baseUrl,
            Clock clock, LearnerChanges changes) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.baseUrl = baseUrl;
        this.stripe = new StripeGateway(settings);
        this.pricing = new Pricing(settings, stripe);
        this.events = new StripeEvents(jdbi, stripe, mail, accounts, settings, baseUrl);
        this.keys = new IdempotencyKeys(jdbi);
        this.signature = new WebhookSignature(settings.getWebhookSecret(), settings.webhookTolerance(), clock);
        this.grants = new Grants(jdbi, mail, accounts);
        this.entitlements = new Entitlements(jdbi, settings.pastDueGrace(), changes, clock);
    }

    /** Whether there is anything to subscribe to (Stripe set up, at least one plan). */
    public boolean isOffered() {
        return settings.isConfigured() && !settings.getPlans().isEmpty();
    }

    /** What the learner has now: a live subscription, one in its grace period, or a running grant. */
    public Access access(long learnerId) {
        return entitlements.access(learnerId);
    }

    /** Whether the learner may watch subscriber lessons now. */
    public boolean isEntitled(long learnerId) {
        return access(learnerId).entitled();
    }

    /**
     * Gives {@code email}'s account access until the end of {@code until} (UTC), ending any grant it had; audited
     * with {@code actor}, and the learner gets a mail.
     *
     * @throws Refused when no account has the address or the day has passed
     */
    public void grant(String email, LocalDate until, String note, String actor) throws Refused {
        grants.grant(email, until, note, actor);
    }

    /**
     * Ends {@code email}'s running grant now (audited); false when it had none.
     *
     * @throws Refused when no account has the address
     */
    public boolean revoke(String email, String note, String actor) throws Refused {
        return grants.revoke(email, note, actor);
    }

    /** Everyone with access now, by address: running grants and live subscriptions. */
    public List<Member> members() {
        return grants.members();
    }

    /** The learner's own running grants, as {@link #members} lists them. */
    List<Member> grantsOf(long learnerId, String email) {
        return grants.grantsOf(learnerId, email);
    }

    Pricing pricing() {
        return pricing;
    }

    /** The visitor's country from the trusted header nginx sets (never from anything the visitor sends). */
    Optional<String> country(java.util.function.Function<String, String> header) {
        String value = header.apply(settings.getCountryHeader());
        if (value == null || !value.strip().matches("[A-Za-z]{2}")) {
            return Optional.empty();
        }
        return Optional.of(value.strip().toUpperCase(Locale.ROOT));
    }

    /** The learner's live subscription, else their newest one, if they ever had one. */
    public Optional<Status> status(long learnerId) {
        return jdbi.withExtension(SubscriptionDao.class, subscriptions -> subscriptions.newest(learnerId));
    }

    /**
     * A Checkout session for {@code plan} at the price {@link Pricing#quote} gives this visitor, with the regional
     * coupon and the tier recorded on the subscription. The idempotency key is stored before the call, so pressing
     * the button again after a timeout opens the same session.
     */
    URI checkout(long learnerId, String email, String plan, Optional<String> country)
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
    Optional<URI> portal(long learnerId) throws StripeException {
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
    void returnedFromCheckout(String sessionId) throws StripeException {
        if (sessionId != null && sessionId.matches("cs_[A-Za-z0-9_]{1,200}")) {
            events.applyReturn(sessionId);
        }
    }

    /** Whether webhooks can be received: a signing secret ({@code billing.webhookSecret}) is set. */
    boolean acceptsWebhooks() {
        return signature.isConfigured();
    }

    /**
     * A webhook delivery: the signature is checked on the raw bytes first; then the event is applied once.
     *
     * @throws WebhookSignature.Invalid for any problem with the signature header (answer 400)
     * @throws BadPayload when the signed body is not an event (answer 400)
     * @throws StripeException when Stripe could not be asked for the object (answer 5xx: Stripe retries)
     */
    StripeEvents.Outcome webhook(byte[] body, String signatureHeader)
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
        return jdbi.withExtension(CustomerDao.class, customers -> customers.customerOf(learnerId));
    }

    private String customer(long learnerId, String email) throws StripeException {
        Optional<String> existing = existingCustomer(learnerId);
        if (existing.isPresent()) {
            return existing.get();
        }
        String key = keys.keyFor(learnerId, "customer", "customer", CUSTOMER_KEY_REUSE);
        String created = stripe.createCustomer(email, learnerId, key).getId();
        keys.made(key, created);
        jdbi.useExtension(CustomerDao.class, customers -> customers.link(learnerId, created));
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
