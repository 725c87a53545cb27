package dev.athanor.billing;

import com.codahale.metrics.annotation.Timed;
import com.stripe.exception.StripeException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stripe's webhook endpoint, {@code POST /stripe/webhook}. The body is read as bytes and its signature checked
 * before anything parses it. 400 for any signature or body problem (Stripe does not retry those, and nothing
 * changed); 200 only after the event and its effect are committed; 500 when that failed (Stripe retries, and the
 * ledger makes the retry safe); 503 while no signing secret is configured (nothing can be verified; Stripe retries
 * for days, so deliveries arrive once it is set), reported in the log once.
 */
@Path(WebhookResource.PATH)
public final class WebhookResource {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookResource.class);
    /** Where Stripe sends events. */
    public static final String PATH = "/stripe/webhook";
    /** The largest event body taken (Stripe's are a few KiB). */
    public static final int MAX_BODY = 512 * 1024;

    private final Billing billing;
    private final AtomicBoolean unconfiguredReported = new AtomicBoolean();

    public WebhookResource(Billing billing) {
        this.billing = billing;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Timed
    public Response receive(InputStream body, @HeaderParam("Stripe-Signature") String signature) {
        if (!billing.acceptsWebhooks()) {
            if (unconfiguredReported.compareAndSet(false, true)) {
                LOG.error("Refusing Stripe webhooks with 503: billing.webhookSecret (STRIPE_WEBHOOK_SECRET) is not"
                        + " set; set it to the endpoint's signing secret (whsec_...). Logged once until a restart.");
            }
            return answer(503, "error", "webhooks are not configured on this site");
        }
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            return answer(400, "error", "the body could not be read");
        }
        if (bytes.length > MAX_BODY) {
            return answer(413, "error", "the body is larger than " + MAX_BODY + " bytes");
        }
        try {
            StripeEvents.Outcome outcome = billing.webhook(bytes, signature);
            return answer(200, "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
        } catch (WebhookSignature.Invalid | Billing.BadPayload e) {
            LOG.warn("Refused a Stripe webhook: {}", e.getMessage());
            return answer(400, "error", e.getMessage());
        } catch (StripeException | RuntimeException e) {
            LOG.error("A Stripe webhook was not applied (Stripe will deliver it again): {}", e.toString());
            return answer(500, "error", "not applied; deliver it again");
        }
    }

    private static Response answer(int status, String key, String value) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of(key, value)).build();
    }
}
