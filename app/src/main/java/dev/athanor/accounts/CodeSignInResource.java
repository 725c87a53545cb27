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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * The second step of signing in, for accounts with a second factor: the browser holds a pending sign-in (a short
 * cookie) and types a code from its authenticator app, or a recovery code; only then does the session start.
 */
@Path("/login/code")
@Produces(Web.HTML)
public final class CodeSignInResource {

    private final Accounts accounts;
    private final Web web;
    private final Cookies cookies;
    private final SignInResponses responses;

    public CodeSignInResource(Accounts accounts, Web web, Duration sessionLifetime) {
        this.accounts = accounts;
        this.web = web;
        this.cookies = web.cookies();
        this.responses = new SignInResponses(accounts, cookies, sessionLifetime);
    }

    @GET
    @Timed
    public Response form(@QueryParam("next") String next, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        if (!accounts.twoFactor().pending(pending(request))) {
            return expired(request, response, next);
        }
        return web.render(request, response, new AccountViews.CodeEntry(web.layout(), AccountResource.safe(next),
                null), 200);
    }

    @POST
    @Timed
    public Response signIn(@FormParam("code") @DefaultValue("") String code, @FormParam("kind") String kind,
            @FormParam("next") String next, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        web.csrf().check(request, csrf);
        String field = "recovery".equals(kind) ? "recovery" : "code";
        CodeCheck<Accounts.SignedIn> check = accounts.twoFactor().signIn(pending(request), code,
                responses.device(request), request.getHeader("User-Agent"), request.getRemoteAddr());
        if (check.expired()) {
            return expired(request, response, next);
        }
        if (check.retryAfter().isPresent()) {
            Response page = web.render(request, response, new AccountViews.CodeEntry(web.layout(),
                    AccountResource.safe(next), new Accounts.Problem(field, "Too many codes tried. Wait a few"
                            + " minutes, then try again.")), 429);
            return Response.fromResponse(page).header("Retry-After",
                    Math.max(1, check.retryAfter().get().toSeconds())).build();
        }
        if (check.accepted().isEmpty()) {
            return web.render(request, response, new AccountViews.CodeEntry(web.layout(), AccountResource.safe(next),
                    new Accounts.Problem(field, "recovery".equals(field) ? "That recovery code is not right, or"
                            + " was used already." : "That code is not right. Type the code the app shows now;"
                            + " each code works once.")), 401);
        }
        return responses.signedIn(request, check.accepted().get(), AccountResource.safe(next));
    }

    private Response expired(HttpServletRequest request, HttpServletResponse response, String next) {
        Response page = web.render(request, response, new AccountViews.SignIn(web.layout(), "", new Accounts.Problem(
                "password", "Signing in took too long. Sign in again."), AccountResource.safe(next)), 401);
        return Response.fromResponse(page).header("Set-Cookie", cookies.clear(SignInResponses.PENDING)).build();
    }

    private String pending(HttpServletRequest request) {
        return cookies.read(request, SignInResponses.PENDING).orElse("");
    }
}
