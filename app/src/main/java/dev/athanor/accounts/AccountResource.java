package dev.athanor.accounts;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.platform.web.Cookies;
import dev.athanor.platform.web.Csrf;
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
import java.util.Optional;

/**
 * Signing up, in and out, and the links that mail sends: confirm an address, reset a password, sign in without one.
 * Links open a page with a button; only the button (a POST with the form token) changes anything, so mail scanners
 * that follow links sign nobody in and use no link up.
 */
@Path("/")
@Produces(Web.HTML)
public final class AccountResource {

    private static final String CHECK_MAIL = "If %s can receive mail, a message is on its way to it. Open the link"
            + " in it to go on.";

    private final Accounts accounts;
    private final Web web;
    private final Cookies cookies;
    private final SignInResponses responses;

    public AccountResource(Accounts accounts, Web web, Duration sessionLifetime) {
        this.accounts = accounts;
        this.web = web;
        this.cookies = web.cookies();
        this.responses = new SignInResponses(accounts, cookies, sessionLifetime);
    }

    @GET
    @Path("signup")
    @Timed
    public Response signUpForm(@Context HttpServletRequest request, @Context HttpServletResponse response) {
        return web.render(request, response, new AccountViews.SignUp(web.layout(), "", null), 200);
    }

    @POST
    @Path("signup")
    @Timed
    public Response signUp(@FormParam("email") @DefaultValue("") String email,
            @FormParam("password") @DefaultValue("") String password, @FormParam("newsletter") String newsletter,
            @FormParam("website") String honeypot, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Optional<Duration> wait = accounts.throttleSignUp(request.getRemoteAddr(), email);
        if (wait.isPresent()) {
            return tooMany(request, response, new AccountViews.SignUp(web.layout(), email, new Accounts.Problem(
                    "email", "Too many sign-ups from your network. Try again later.")), wait.get());
        }
        if (honeypot != null && !honeypot.isBlank()) {
            return checkMail(request, response, email);
        }
        Optional<Accounts.Problem> problem = accounts.signUp(email, password, newsletter != null, "sign-up form");
        if (problem.isPresent()) {
            return web.render(request, response, new AccountViews.SignUp(web.layout(), email, problem.get()), 422);
        }
        return checkMail(request, response, email);
    }

    @GET
    @Path("verify/{token}")
    @Timed
    public Response verifyPage(@PathParam("token") String token, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        boolean valid = accounts.verificationValid(token);
        return web.render(request, response, new AccountViews.Confirm(web.layout(), "Confirm your address",
                "Press the button to confirm that this address is yours.", "/verify/" + token, "Confirm my address",
                valid), valid ? 200 : 404);
    }

    @POST
    @Path("verify/{token}")
    @Timed
    public Response verify(@PathParam("token") String token, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        boolean done = accounts.verify(token);
        return message(request, response, done ? "Address confirmed" : "This link no longer works",
                done ? "Thank you. Your address is confirmed." : "The link was used already or has expired. Sign in"
                        + " and ask for a new one from your account page.", done ? 200 : 404);
    }

    @GET
    @Path("login")
    @Timed
    public Response signInForm(@QueryParam("next") String next, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        return web.render(request, response, new AccountViews.SignIn(web.layout(), "", null, safe(next)), 200);
    }

    @POST
    @Path("login")
    @Timed
    public Response signIn(@FormParam("email") @DefaultValue("") String email,
            @FormParam("password") @DefaultValue("") String password, @FormParam("next") String next,
            @FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        SignInAttempt attempt = accounts.signIn(email, password, responses.device(request),
                request.getHeader("User-Agent"), request.getRemoteAddr());
        if (attempt.retryAfter().isPresent()) {
            return tooMany(request, response, new AccountViews.SignIn(web.layout(), email, new Accounts.Problem(
                    "password", "Too many attempts. Wait a little, or sign in with a link by mail."), safe(next)),
                    attempt.retryAfter().get());
        }
        if (attempt.entered().isEmpty()) {
            return web.render(request, response, new AccountViews.SignIn(web.layout(), email, new Accounts.Problem(
                    "password", "That email address and password do not match an account."), safe(next)), 401);
        }
        return responses.entered(request, attempt.entered().get(), safe(next));
    }

    @POST
    @Path("login/link")
    @Timed
    public Response requestLink(@FormParam("email") @DefaultValue("") String email,
            @FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Optional<Duration> wait = accounts.requestSignInLink(email, request.getRemoteAddr());
        if (wait.isPresent()) {
            return tooMany(request, response, new AccountViews.SignIn(web.layout(), email, new Accounts.Problem(
                    "email", "Too many requests. Try again later."), null), wait.get());
        }
        return checkMail(request, response, email);
    }

    @GET
    @Path("login/link/{token}")
    @Timed
    public Response linkPage(@PathParam("token") String token, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        boolean valid = accounts.signInLinkValid(token);
        return web.render(request, response, new AccountViews.Confirm(web.layout(), "Sign in",
                "Press the button to sign in on this device.", "/login/link/" + token, "Sign in", valid),
                valid ? 200 : 404);
    }

    @POST
    @Path("login/link/{token}")
    @Timed
    public Response signInWithLink(@PathParam("token") String token, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        return accounts.signInWithLink(token, responses.device(request), request.getHeader("User-Agent"),
                request.getRemoteAddr())
                .map(entry -> responses.entered(request, entry, "/account"))
                .orElseGet(() -> message(request, response, "This link no longer works", "The link was used"
                        + " already or has expired. Ask for a new one on the sign-in page.", 404));
    }

    @POST
    @Path("logout")
    @Timed
    public Response signOut(@FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request) {
        web.csrf().check(request, csrf);
        cookies.read(request, AccountViewers.SESSION).ifPresent(accounts::signOut);
        return Response.seeOther(URI.create("/")).header("Set-Cookie", cookies.clear(AccountViewers.SESSION))
                .build();
    }

    @GET
    @Path("reset")
    @Timed
    public Response resetRequestForm(@Context HttpServletRequest request, @Context HttpServletResponse response) {
        return web.render(request, response, new AccountViews.ResetRequest(web.layout(), "", null), 200);
    }

    @POST
    @Path("reset")
    @Timed
    public Response requestReset(@FormParam("email") @DefaultValue("") String email,
            @FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        Optional<Duration> wait = accounts.requestReset(email, request.getRemoteAddr());
        if (wait.isPresent()) {
            return tooMany(request, response, new AccountViews.ResetRequest(web.layout(), email,
                    new Accounts.Problem("email", "Too many requests. Try again later.")), wait.get());
        }
        return checkMail(request, response, email);
    }

    @GET
    @Path("reset/{token}")
    @Timed
    public Response resetForm(@PathParam("token") String token, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        if (!accounts.resetValid(token)) {
            return message(request, response, "This link no longer works", "The link was used already or has"
                    + " expired. Ask for a new one.", 404);
        }
        return web.render(request, response, new AccountViews.ResetForm(web.layout(), token, null), 200);
    }

    @POST
    @Path("reset/{token}")
    @Timed
    public Response reset(@PathParam("token") String token, @FormParam("password") @DefaultValue("") String password,
            @FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        ResetOutcome outcome = accounts.reset(token, password, responses.device(request),
                request.getHeader("User-Agent"), request.getRemoteAddr());
        if (!outcome.linkValid()) {
            return message(request, response, "This link no longer works", "The link was used already or has"
                    + " expired. Ask for a new one.", 404);
        }
        if (outcome.weakPassword().isPresent()) {
            return web.render(request, response, new AccountViews.ResetForm(web.layout(), token,
                    new Accounts.Problem("password", outcome.weakPassword().get())), 422);
        }
        return responses.entered(request, outcome.entered().orElseThrow(), "/account?notice=password");
    }

    private Response checkMail(HttpServletRequest request, HttpServletResponse response, String email) {
        return web.render(request, response, new AccountViews.CheckMail(web.layout(), String.format(CHECK_MAIL,
                email.isBlank() ? "that address" : email.strip())), 200);
    }

    private Response message(HttpServletRequest request, HttpServletResponse response, String heading,
            String message, int status) {
        return web.render(request, response, new AccountViews.Message(web.layout(), heading, message), status);
    }

    private Response tooMany(HttpServletRequest request, HttpServletResponse response,
            dev.athanor.platform.web.PageView view, Duration wait) {
        Response page = web.render(request, response, view, 429);
        return Response.fromResponse(page).header("Retry-After", Math.max(1, wait.toSeconds())).build();
    }

    /**
     * Where sign-in leads: {@code next} when it is a well-formed path on this site (never another site's address),
     * the account page when there is none, and the front page when it is unusable (so a mangled link never stands
     * between a learner and a sign-in that succeeded).
     */
    static String safe(String next) {
        if (next == null || next.isEmpty()) {
            return "/account";
        }
        return usable(next) ? next : "/";
    }

    private static boolean usable(String next) {
        if (next.length() > 2000 || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return false;
        }
        try {
            URI uri = new URI(next);
            return uri.getScheme() == null && uri.getRawAuthority() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
