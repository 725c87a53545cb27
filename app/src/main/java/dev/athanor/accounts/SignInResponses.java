package dev.athanor.accounts;

import dev.athanor.platform.web.Cookies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The answer to a first or second factor that went through: a session (its cookie, the browser's new device cookie,
 * and the page to go on to: the enrolment page for an operator without a second factor), or a pending sign-in (its
 * short cookie, and the page that asks for the code).
 */
final class SignInResponses {

    /** The cookie that marks a browser where the account signed in before (see {@link Devices}). */
    static final String DEVICE = "device";
    /** The cookie of a sign-in waiting for its second factor (see {@link PendingSignIns}). */
    static final String PENDING = "sign-in";
    static final String ENROL = "/account/two-factor";

    private final Accounts accounts;
    private final Cookies cookies;
    private final Duration sessionLifetime;

    SignInResponses(Accounts accounts, Cookies cookies, Duration sessionLifetime) {
        this.accounts = accounts;
        this.cookies = cookies;
        this.sessionLifetime = sessionLifetime;
    }

    Response entered(HttpServletRequest request, Accounts.Entry entry, String next) {
        if (entry instanceof Accounts.CodeNeeded code) {
            return Response.seeOther(URI.create("/login/code?next=" + URLEncoder.encode(next,
                    StandardCharsets.UTF_8))).header("Set-Cookie", cookies.set(PENDING, code.pendingToken(),
                    PendingSignIns.LIFETIME)).build();
        }
        return signedIn(request, (Accounts.SignedIn) entry, next);
    }

    /** Ends the session the browser had (if any) and starts the new one. */
    Response signedIn(HttpServletRequest request, Accounts.SignedIn session, String next) {
        cookies.read(request, AccountViewers.SESSION).ifPresent(accounts::signOut);
        return Response.seeOther(URI.create(session.mustEnrol() ? ENROL : next))
                .header("Set-Cookie", cookies.set(AccountViewers.SESSION, session.sessionToken(), sessionLifetime))
                .header("Set-Cookie", cookies.set(DEVICE, session.deviceToken(), Devices.LIFETIME))
                .header("Set-Cookie", cookies.clear(PENDING))
                .build();
    }

    String device(HttpServletRequest request) {
        return cookies.read(request, DEVICE).orElse(null);
    }
}
