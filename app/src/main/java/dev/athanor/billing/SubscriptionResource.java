package dev.athanor.billing;

import com.codahale.metrics.annotation.Timed;
import com.stripe.exception.StripeException;
import dev.athanor.platform.web.Csrf;
import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The learner's subscription page, with the way to Stripe's Customer Portal to change the card, plan or cancel. */
@Path("/account/subscription")
@Produces(Web.HTML)
public final class SubscriptionResource {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionResource.class);

    private final Billing billing;
    private final Web web;

    public SubscriptionResource(Billing billing, Web web) {
        this.billing = billing;
        this.web = web;
    }

    @GET
    @Timed
    public Response subscription(@QueryParam("notice") String notice, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        Viewer viewer = web.signedIn(request, "/account/subscription");
        long learner = viewer.learnerId().orElseThrow();
        Billing.Access access = billing.access(learner);
        List<Billing.Member> grants = billing.grantsOf(learner, viewer.email());
        String message = "welcome".equals(notice) ? "Thank you for subscribing! Every lesson is open to you now."
                : null;
        return web.render(request, response, new BillingViews.SubscriptionPage(web.layout(),
                billing.status(learner).orElse(null), access.entitled(), access.graceUntil()
                        .map(end -> LocalDate.ofInstant(end, ZoneOffset.UTC).toString()).orElse(null), grants,
                message), 200);
    }

    @POST
    @Path("portal")
    @Timed
    public Response portal(@FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request, "/account/subscription");
        try {
            return billing.portal(viewer.learnerId().orElseThrow())
                    .map(url -> Response.seeOther(url).build())
                    .orElseGet(() -> Response.seeOther(URI.create("/subscribe")).build());
        } catch (StripeException e) {
            LOG.warn("Customer Portal for learner {} failed: {}", viewer.learnerId().orElseThrow(), e.getMessage());
            return BillingResource.unavailable(web, request, response, viewer, true);
        }
    }

}
