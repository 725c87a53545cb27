package dev.athanor.billing;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Coupon;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.EventListParams;
import com.stripe.param.checkout.SessionCreateParams;
import java.time.Instant;

/**
 * Every call the site makes to Stripe, through stripe-java. Objects are always read fresh from Stripe (events only
 * say that something changed); every POST carries the idempotency key the caller stored first.
 */
class StripeGateway {

    private final StripeClient client;

    StripeGateway(BillingFactory settings) {
        this.client = StripeClient.builder().setApiKey(settings.getSecretKey()).setApiBase(settings.getApiBase())
                .setConnectTimeout(10_000).setReadTimeout(settings.stripeTimeoutMillis()).setMaxNetworkRetries(2).build();
    }

    Price price(String id) throws StripeException {
        return client.v1().prices().retrieve(id);
    }

    Coupon coupon(String id) throws StripeException {
        return client.v1().coupons().retrieve(id);
    }

    Customer createCustomer(String email, long learnerId, String idempotencyKey) throws StripeException {
        return client.v1().customers().create(CustomerCreateParams.builder().setEmail(email)
                .putMetadata("learner_id", Long.toString(learnerId)).build(), options(idempotencyKey));
    }

    Session createCheckout(SessionCreateParams params, String idempotencyKey) throws StripeException {
        return client.v1().checkout().sessions().create(params, options(idempotencyKey));
    }

    Session session(String id) throws StripeException {
        return client.v1().checkout().sessions().retrieve(id);
    }

    com.stripe.model.billingportal.Session portal(String customer, String returnUrl, String idempotencyKey)
            throws StripeException {
        return client.v1().billingPortal().sessions().create(
                com.stripe.param.billingportal.SessionCreateParams.builder().setCustomer(customer)
                        .setReturnUrl(returnUrl).build(), options(idempotencyKey));
    }

    Subscription subscription(String id) throws StripeException {
        return client.v1().subscriptions().retrieve(id);
    }

    Subscription cancel(String id, String idempotencyKey) throws StripeException {
        return client.v1().subscriptions().cancel(id, options(idempotencyKey));
    }

    Invoice invoice(String id) throws StripeException {
        return client.v1().invoices().retrieve(id);
    }

    Charge charge(String id) throws StripeException {
        return client.v1().charges().retrieve(id);
    }

    /** Events created since {@code since} whose last delivery to our endpoint failed, newest first, every page. */
    Iterable<Event> undeliveredSince(Instant since) throws StripeException {
        return client.v1().events().list(EventListParams.builder().setDeliverySuccess(false)
                .setCreated(EventListParams.Created.builder().setGte(since.getEpochSecond()).build())
                .setLimit(100L).build()).autoPagingIterable();
    }

    private static RequestOptions options(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }
}
