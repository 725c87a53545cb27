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
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pricing page, and subscribing: to Stripe Checkout and back.
 */
@Path("/subscribe")
@Produces(Web.HTML)
public final class BillingResource {

    private static final Logger LOG = LoggerFactory.getLogger(BillingResource.class);

    private final Billing billing;
    private final Web web;

    public BillingResource(Billing billing, Web web) {
        this.billing = billing;
        this.web = web;
    }

    @GET
    @Timed
    public Response pricing(@Context HttpServletRequest request, @Context HttpServletResponse response) {
        Viewer viewer = web.viewers().resolve(request);
        boolean subscribed = viewer.learnerId().flatMap(billing::status).map(Billing.Status::isLive).orElse(false);
        if (!billing.isOffered()) {
            return web.render(request, response, new BillingViews.PricingPage(web.layout(), false, List.of(),
                    viewer.isSignedIn(), subscribed, null), 200);
        }
        try {
            List<Pricing.Quote> quotes = new ArrayList<>();
            Optional<String> country = billing.country(request::getHeader);
            for (String plan : billing.pricing().plans()) {
                quotes.add(billing.pricing().quote(plan, country));
            }
            return web.render(request, response, new BillingViews.PricingPage(web.layout(), true, quotes,
                    viewer.isSignedIn(), subscribed, null), 200);
        } catch (Pricing.Unavailable e) {
            LOG.warn("Pricing page without prices: {}", e.getMessage());
            return unavailable(web, request, response, viewer, subscribed);
        }
    }

    @POST
    @Path("{plan}")
    @Timed
    public Response subscribe(@PathParam("plan") String plan, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request, "/subscribe");
        if (!billing.isOffered() || !billing.pricing().plans().contains(plan)) {
            throw new NotFoundException();
        }
        long learner = viewer.learnerId().orElseThrow();
        if (billing.status(learner).map(Billing.Status::isLive).orElse(false)) {
            return Response.seeOther(URI.create("/account/subscription")).build();
        }
        try {
            return Response.seeOther(billing.checkout(learner, viewer.email(), plan,
                    billing.country(request::getHeader))).build();
        } catch (Pricing.Unavailable | StripeException e) {
            LOG.warn("Checkout for learner {} failed: {}", learner, e.getMessage());
            return unavailable(web, request, response, viewer, false);
        }
    }

    @GET
    @Path("done")
    @Timed
    public Response returned(@QueryParam("session_id") String sessionId, @Context HttpServletRequest request) {
        web.signedIn(request, "/account/subscription");
        try {
            billing.returnedFromCheckout(sessionId);
        } catch (StripeException | RuntimeException e) {
            // The webhook brings the same news a moment later.
            LOG.warn("Could not apply checkout {} on return: {}", sessionId, e.getMessage());
        }
        return Response.seeOther(URI.create("/account/subscription?notice=welcome")).build();
    }

    static Response unavailable(Web web, HttpServletRequest request, HttpServletResponse response, Viewer viewer,
            boolean subscribed) {
        return web.render(request, response, new BillingViews.PricingPage(web.layout(), true, List.of(),
                viewer.isSignedIn(), subscribed, "Payments cannot be reached right now. Nothing was charged;"
                        + " please try again in a minute."), 503);
    }
}
