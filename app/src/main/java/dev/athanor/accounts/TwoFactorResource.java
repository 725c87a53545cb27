package dev.athanor.accounts;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.platform.web.Csrf;
import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Two-factor settings on the account page: set up an authenticator app (its key as text and as a QR code; on once
 * its first code is typed, when the recovery codes are shown), make new recovery codes (for a code from the app),
 * and turn it off (for the password and a code). Operators must have it: their pages stay shut until it is on.
 */
@Path("/account/two-factor")
@Produces(Web.HTML)
public final class TwoFactorResource {

    private static final Map<String, String> NOTICES = Map.of(
            "off", "Two-factor sign-in is off.");

    private final Accounts accounts;
    private final Web web;

    public TwoFactorResource(Accounts accounts, Web web) {
        this.accounts = accounts;
        this.web = web;
    }

    @GET
    @Timed
    public Response page(@QueryParam("notice") String notice, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        Viewer viewer = web.signedIn(request);
        return page(request, response, viewer, notice == null ? null : NOTICES.get(notice), null, 200);
    }

    @POST
    @Path("start")
    @Timed
    public Response start(@FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        accounts.twoFactor().startEnrolment(viewer.learnerId().orElseThrow(), viewer.email(), web.site().name());
        return Response.seeOther(URI.create("/account/two-factor")).build();
    }

    @POST
    @Path("confirm")
    @Timed
    public Response confirm(@FormParam("code") @DefaultValue("") String code, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        long learner = viewer.learnerId().orElseThrow();
        return codes(request, response, viewer, "code", accounts.twoFactor().confirmEnrolment(learner, code,
                request.getRemoteAddr()));
    }

    @POST
    @Path("recovery-codes")
    @Timed
    public Response renewRecoveryCodes(@FormParam("code") @DefaultValue("") String code,
            @FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        return codes(request, response, viewer, "renew", accounts.twoFactor().newRecoveryCodes(
                viewer.learnerId().orElseThrow(), code, request.getRemoteAddr()));
    }

    @POST
    @Path("disable")
    @Timed
    public Response disable(@FormParam("current") @DefaultValue("") String current,
            @FormParam("code") @DefaultValue("") String code, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        CodeCheck<Boolean> check = accounts.disableTwoFactor(viewer.learnerId().orElseThrow(), current, code,
                request.getRemoteAddr());
        if (check.accepted().isEmpty()) {
            return refused(request, response, viewer, "disable", check, "That password or code is not right.");
        }
        return Response.seeOther(URI.create("/account/two-factor?notice=off")).build();
    }

    private Response codes(HttpServletRequest request, HttpServletResponse response, Viewer viewer, String field,
            CodeCheck<List<String>> check) {
        if (check.accepted().isEmpty()) {
            return refused(request, response, viewer, field, check, "That code is not right. Type the code the app"
                    + " shows now; each code works once.");
        }
        String next = accounts.twoFactorStatus(viewer.learnerId().orElseThrow()).required() ? "/admin"
                : "/account/two-factor";
        return web.render(request, response, new AccountViews.RecoveryCodesPage(web.layout(),
                check.accepted().get(), next), 200);
    }

    private Response refused(HttpServletRequest request, HttpServletResponse response, Viewer viewer, String field,
            CodeCheck<?> check, String message) {
        if (check.retryAfter().isPresent()) {
            Response page = page(request, response, viewer, null, new Accounts.Problem(field, "Too many codes"
                    + " tried. Wait a few minutes, then try again."), 429);
            return Response.fromResponse(page).header("Retry-After",
                    Math.max(1, check.retryAfter().get().toSeconds())).build();
        }
        return page(request, response, viewer, null, new Accounts.Problem(field, message), 422);
    }

    private Response page(HttpServletRequest request, HttpServletResponse response, Viewer viewer, String notice,
            Accounts.Problem problem, int status) {
        long learner = viewer.learnerId().orElseThrow();
        return web.render(request, response, new AccountViews.TwoFactorPage(web.layout(), viewer.email(),
                accounts.twoFactorStatus(learner), accounts.twoFactor().enrolment(learner, viewer.email(),
                        web.site().name()), notice, problem), status);
    }
}
