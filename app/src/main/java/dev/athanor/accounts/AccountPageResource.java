package dev.athanor.accounts;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.platform.web.Cookies;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The account page: the address (confirmed or not, and changed through a link sent to the new one), the password,
 * the devices signed in, and the newsletter. Every change is a POST with the form token that lands back on the page
 * with a notice.
 */
@Path("/account")
@Produces(Web.HTML)
public final class AccountPageResource {

    private static final Map<String, String> NOTICES = Map.of(
            "password", "Your password is changed.",
            "email", "A link is on its way to the new address. Your address changes when you open it.",
            "email-changed", "Your address is changed.",
            "verification", "A new confirmation link is on its way.",
            "others", "Your other devices are signed out.",
            "newsletter-on", "You will get the newsletter.",
            "newsletter-off", "You will not get the newsletter any more.");

    private final Accounts accounts;
    private final Newsletter newsletter;
    private final Web web;
    private final Cookies cookies;
    private final Duration sessionLifetime;

    public AccountPageResource(Accounts accounts, Web web, Duration sessionLifetime) {
        this.accounts = accounts;
        this.newsletter = accounts.newsletter();
        this.web = web;
        this.cookies = web.cookies();
        this.sessionLifetime = sessionLifetime;
        web.learnerPage("/account", 0, "no-store", (slugs, viewer, request) -> view(viewer, request, null, null));
    }

    @GET
    @Timed
    public Response page(@QueryParam("notice") String notice, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        Viewer viewer = web.signedIn(request);
        return page(request, response, viewer, notice == null ? null : NOTICES.get(notice), null, 200);
    }

    @POST
    @Path("password")
    @Timed
    public Response changePassword(@FormParam("current") @DefaultValue("") String current,
            @FormParam("password") @DefaultValue("") String password, @FormParam("others") String others,
            @FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        PasswordChange change = accounts.changePassword(viewer.learnerId().orElseThrow(), sessionToken(request),
                current, password, others != null, cookies.read(request, SignInResponses.DEVICE).orElse(null),
                request.getHeader("User-Agent"), request.getRemoteAddr());
        if (change.problem().isPresent()) {
            return page(request, response, viewer, null, change.problem().get(), 422);
        }
        Accounts.SignedIn signedIn = change.signedIn().orElseThrow();
        return Response.seeOther(URI.create("/account?notice=password"))
                .header("Set-Cookie", cookies.set(AccountViewers.SESSION, signedIn.sessionToken(), sessionLifetime))
                .header("Set-Cookie", cookies.set(SignInResponses.DEVICE, signedIn.deviceToken(), Devices.LIFETIME))
                .build();
    }

    @POST
    @Path("email")
    @Timed
    public Response changeEmail(@FormParam("email") @DefaultValue("") String email,
            @FormParam("current") @DefaultValue("") String current, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        Optional<Accounts.Problem> problem = accounts.requestEmailChange(viewer.learnerId().orElseThrow(), current,
                email);
        if (problem.isPresent()) {
            return page(request, response, viewer, null, problem.get(), 422);
        }
        return notice("email");
    }

    @GET
    @Path("email/{token}")
    @Timed
    public Response emailChangePage(@PathParam("token") String token, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        boolean valid = accounts.emailChangeValid(token);
        return web.render(request, response, new AccountViews.Confirm(web.layout(), "Confirm your new address",
                "Press the button to make this your account's address.", "/account/email/" + token,
                "Use this address", valid), valid ? 200 : 404);
    }

    @POST
    @Path("email/{token}")
    @Timed
    public Response confirmEmailChange(@PathParam("token") String token, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        if (accounts.confirmEmailChange(token)) {
            return web.render(request, response, new AccountViews.Message(web.layout(), "Address changed",
                    "Your account now uses this address."), 200);
        }
        return web.render(request, response, new AccountViews.Message(web.layout(), "This link no longer works",
                "The link was used already, has expired, or the address belongs to another account now."), 404);
    }

    @POST
    @Path("verification")
    @Timed
    public Response resendVerification(@FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        accounts.resendVerification(viewer.learnerId().orElseThrow());
        return notice("verification");
    }

    @POST
    @Path("sessions/others")
    @Timed
    public Response signOutOthers(@FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        accounts.signOutOthers(viewer.learnerId().orElseThrow(), sessionToken(request));
        return notice("others");
    }

    @POST
    @Path("sessions/all")
    @Timed
    public Response signOutEverywhere(@FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        accounts.signOutEverywhere(viewer.learnerId().orElseThrow());
        return Response.seeOther(URI.create("/")).header("Set-Cookie", cookies.clear(AccountViewers.SESSION))
                .header("Set-Cookie", cookies.clear(SignInResponses.DEVICE)).build();
    }

    @POST
    @Path("newsletter")
    @Timed
    public Response newsletter(@FormParam("subscribe") String subscribe, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request) {
        web.csrf().check(request, csrf);
        Viewer viewer = web.signedIn(request);
        boolean on = "yes".equals(subscribe);
        newsletter.setConsent(viewer.learnerId().orElseThrow(), on, "account page");
        return notice(on ? "newsletter-on" : "newsletter-off");
    }

    private Response page(HttpServletRequest request, HttpServletResponse response, Viewer viewer, String notice,
            Accounts.Problem problem, int status) {
        return web.render(request, response, view(viewer, request, notice, problem).orElseThrow(), status);
    }

    /** The account page for {@code viewer}; empty when the account is gone. */
    private Optional<AccountViews.AccountPage> view(Viewer viewer, HttpServletRequest request, String notice,
            Accounts.Problem problem) {
        return accounts.accountPage(viewer.learnerId().orElseThrow(), sessionToken(request)).map(facts ->
                new AccountViews.AccountPage(web.layout(), facts.account(), facts.sessions(), notice, problem,
                        facts.newsletter(), facts.twoFactor()));
    }

    private String sessionToken(HttpServletRequest request) {
        return cookies.read(request, AccountViewers.SESSION).orElse("");
    }

    private static Response notice(String notice) {
        return Response.seeOther(URI.create("/account?notice=" + notice)).build();
    }
}
