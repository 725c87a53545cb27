package dev.athanor.billing;

import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Invoice;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.checkout.Session;
import dev.athanor.accounts.Accounts;
import dev.athanor.mail.Mail;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Stripe events, from the webhook or the reconciler. Each is written to the {@code stripe_event} ledger in
 * the same transaction as its effect, so a second delivery (or ten at once: the ledger's primary key makes the
 * others wait and then find it) changes nothing. The state of a subscription is always Stripe's current object,
 * read again under a per-subscription lock, so the order events arrive in does not matter.
 */
final class StripeEvents {

    /** What an event says, as far as it matters here: which object changed. */
    record Ref(String id, String type, Instant created, String objectId) {
    }

    /** How applying went. */
    enum Outcome { APPLIED, DUPLICATE, IGNORED }

    private static final Logger LOG = LoggerFactory.getLogger(StripeEvents.class);
    private static final List<String> HANDLED = List.of("checkout.session.completed",
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "invoice.paid", "invoice.payment_failed", "invoice.payment_action_required", "charge.refunded");

    private final Jdbi jdbi;
    private final StripeGateway stripe;
    private final Mail mail;
    private final Supplier<Accounts> accounts;
    private final Map<String, String> planByPrice = new HashMap<>();
    private final String baseUrl;
    private final long graceDays;

    StripeEvents(Jdbi jdbi, StripeGateway stripe, Mail mail, Supplier<Accounts> accounts,
            BillingFactory settings, String baseUrl) {
        this.jdbi = jdbi;
        this.stripe = stripe;
        this.mail = mail;
        this.accounts = accounts;
        this.baseUrl = baseUrl;
        this.graceDays = settings.pastDueGrace().toDays();
        settings.getPlans().forEach((plan, price) -> planByPrice.put(price, plan));
    }

    /** Applies {@code event} once; a Stripe or database failure throws, and nothing of it is kept. */
    Outcome apply(Ref event, String source) throws StripeException {
        try {
            return jdbi.inTransaction(handle -> {
                int fresh = handle.attach(StripeEventDao.class).record(event.id(), event.type(), event.created(),
                        source);
                if (fresh == 0) {
                    return Outcome.DUPLICATE;
                }
                if (!HANDLED.contains(event.type())) {
                    return Outcome.IGNORED;
                }
                try {
                    effect(handle, event);
                } catch (StripeException e) {
                    throw new StripeFailure(e);
                }
                return Outcome.APPLIED;
            });
        } catch (StripeFailure e) {
            throw e.cause;
        }
    }

    /** A completed Checkout the learner has just returned from, applied without waiting for its webhook. */
    void applyReturn(String sessionId) throws StripeException {
        try {
            jdbi.useTransaction(handle -> {
                try {
                    checkoutCompleted(handle, sessionId);
                } catch (StripeException e) {
                    throw new StripeFailure(e);
                }
            });
        } catch (StripeFailure e) {
            throw e.cause;
        }
    }

    private void effect(Handle handle, Ref event) throws StripeException {
        switch (event.type()) {
            case "checkout.session.completed" -> checkoutCompleted(handle, event.objectId());
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                    sync(handle, event.objectId());
            case "invoice.paid" -> invoice(handle, event.objectId(), "receipt");
            case "invoice.payment_failed" -> invoice(handle, event.objectId(), "payment-failed");
            case "invoice.payment_action_required" -> invoice(handle, event.objectId(), "action-required");
            case "charge.refunded" -> refunded(handle, event.objectId());
            default -> throw new IllegalStateException("unhandled " + event.type());
        }
    }

    private void checkoutCompleted(Handle handle, String sessionId) throws StripeException {
        Session session = stripe.session(sessionId);
        if (!"complete".equals(session.getStatus()) || session.getCustomer() == null) {
            return;
        }
        Optional<Long> learner = parseLearner(session.getClientReferenceId())
                .or(() -> parseLearner(session.getMetadata() == null ? null : session.getMetadata().get("learner_id")));
        learner.ifPresent(id -> linkCustomer(handle, id, session.getCustomer()));
        if (session.getSubscription() != null) {
            sync(handle, session.getSubscription());
        }
    }

    /** Reads the subscription from Stripe and stores it as it is now (serialized per subscription). */
    Optional<Long> sync(Handle handle, String subscriptionId) throws StripeException {
        lock(handle, subscriptionId);
        return store(handle, stripe.subscription(subscriptionId));
    }

    private Optional<Long> store(Handle handle, Subscription subscription) {
        Map<String, String> metadata = subscription.getMetadata() == null ? Map.of() : subscription.getMetadata();
        Optional<Long> learner = parseLearner(metadata.get("learner_id"))
                .or(() -> handle.attach(CustomerDao.class).learnerOf(subscription.getCustomer()));
        if (learner.isEmpty()) {
            LOG.warn("Stripe subscription {} belongs to no learner of this site (customer {}); left alone",
                    subscription.getId(), subscription.getCustomer());
            return Optional.empty();
        }
        linkCustomer(handle, learner.get(), subscription.getCustomer());
        SubscriptionItem item = subscription.getItems() == null || subscription.getItems().getData().isEmpty()
                ? null : subscription.getItems().getData().get(0);
        String priceId = item == null || item.getPrice() == null ? null : item.getPrice().getId();
        handle.attach(SubscriptionDao.class).store(new SubscriptionDao.Stored(subscription.getId(), learner.get(),
                subscription.getCustomer(), subscription.getStatus(),
                metadata.getOrDefault("plan", planByPrice.get(priceId)), priceId, metadata.get("tier"),
                metadata.get("country"), instant(item == null ? null : item.getCurrentPeriodEnd()),
                Boolean.TRUE.equals(subscription.getCancelAtPeriodEnd()), instant(subscription.getCanceledAt())));
        Accounts.recordLifecycle(handle, learner.get(), stage(subscription));
        return learner;
    }

    private void invoice(Handle handle, String invoiceId, String template) throws StripeException {
        Invoice invoice = stripe.invoice(invoiceId);
        String subscriptionId = invoice.getParent() == null || invoice.getParent().getSubscriptionDetails() == null
                ? null : invoice.getParent().getSubscriptionDetails().getSubscription();
        Optional<Long> learner = subscriptionId != null ? sync(handle, subscriptionId)
                : handle.attach(CustomerDao.class).learnerOf(invoice.getCustomer());
        if (learner.isEmpty()) {
            return;
        }
        // Inside this transaction: the accounts context's statements run on this thread's handle.
        String email = accounts.get().account(learner.get()).orElseThrow(() -> new IllegalStateException("learner "
                + learner.get() + " of Stripe invoice " + invoiceId + " has no account")).email();
        Map<String, Object> model = new HashMap<>();
        long amount = "receipt".equals(template) ? invoice.getAmountPaid() : invoice.getAmountDue();
        model.put("amount", Money.format(amount, invoice.getCurrency()));
        // Stripe's page for this invoice: pay it with another card, or confirm it (SCA).
        String link = invoice.getHostedInvoiceUrl() == null ? baseUrl + "/account/subscription"
                : invoice.getHostedInvoiceUrl();
        model.put("link", link);
        model.put("invoiceUrl", link);
        model.put("graceDays", graceDays);
        if (subscriptionId != null) {
            handle.attach(SubscriptionDao.class).planOf(subscriptionId).ifPresent(plan -> model.put("plan", plan));
        }
        if (invoice.getPeriodEnd() != null) {
            model.put("periodEnd", LocalDate.ofInstant(Instant.ofEpochSecond(invoice.getPeriodEnd()), ZoneOffset.UTC)
                    .toString());
        }
        mail.queue(handle, email, template, model);
    }

    private void refunded(Handle handle, String chargeId) throws StripeException {
        Charge charge = stripe.charge(chargeId);
        if (!Boolean.TRUE.equals(charge.getRefunded()) || charge.getCustomer() == null) {
            return; // a partial refund keeps the subscription
        }
        List<String> live = handle.attach(SubscriptionDao.class).liveOf(charge.getCustomer());
        for (String subscriptionId : live) {
            lock(handle, subscriptionId);
            // A full refund ends the subscription now; the key makes a repeated cancel harmless.
            store(handle, stripe.cancel(subscriptionId, "athanor-refund-" + chargeId + "-" + subscriptionId));
        }
    }

    private static Accounts.Lifecycle stage(Subscription subscription) {
        return switch (subscription.getStatus()) {
            case "active", "trialing" -> Boolean.TRUE.equals(subscription.getCancelAtPeriodEnd())
                    ? Accounts.Lifecycle.CANCEL_SCHEDULED : Accounts.Lifecycle.SUBSCRIBED;
            case "past_due", "unpaid", "incomplete" -> Accounts.Lifecycle.PAYMENT_FAILED;
            default -> Accounts.Lifecycle.LAPSED;
        };
    }

    /** Serializes the work on one subscription until the transaction ends (several nodes, several events). */
    private static void lock(Handle handle, String subscriptionId) {
        handle.attach(SubscriptionDao.class).lock(subscriptionId);
    }

    private static void linkCustomer(Handle handle, long learnerId, String customerId) {
        handle.attach(CustomerDao.class).link(learnerId, customerId);
    }

    private static Optional<Long> parseLearner(String text) {
        if (text == null || !text.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(text));
    }

    private static Instant instant(Long epochSeconds) {
        return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds);
    }

    /** Carries a Stripe failure out of a JDBI callback, which rolls the transaction back on the way. */
    private static final class StripeFailure extends RuntimeException {
        private final StripeException cause;

        StripeFailure(StripeException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
