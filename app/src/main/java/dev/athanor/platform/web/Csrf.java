package dev.athanor.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.ForbiddenException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Every state-changing form and endpoint carries a token that only this site's pages know: a random value kept in a
 * cookie (which other sites cannot read or, with the {@code __Host-} prefix, set) and repeated in the form or in an
 * {@code X-CSRF-Token} header. A request whose token is missing or differs is refused with 403, and so is one whose
 * browser says it came from another site.
 */
public final class Csrf {

    public static final String FIELD = "csrf";
    public static final String HEADER = "X-CSRF-Token";
    private static final String COOKIE = "csrf";
    private static final Duration LIFETIME = Duration.ofDays(90);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Cookies cookies;
    private final Site site;

    public Csrf(Cookies cookies, Site site) {
        this.cookies = cookies;
        this.site = site;
    }

    /** The token for forms on the page being rendered, issuing the cookie when the browser has none. */
    public String token(HttpServletRequest request, HttpServletResponse response) {
        Optional<String> existing = cookies.read(request, COOKIE).filter(value -> value.length() == 43);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        response.addHeader("Set-Cookie", cookies.set(COOKIE, token, LIFETIME));
        return token;
    }

    /** The token already in the browser's cookie, if any (for pages that must not set cookies). */
    public Optional<String> existing(HttpServletRequest request) {
        return cookies.read(request, COOKIE).filter(value -> value.length() == 43);
    }

    /** Refuses the request (403) unless {@code submitted} matches the cookie and the request came from this site. */
    public void check(HttpServletRequest request, String submitted) {
        String given = submitted != null ? submitted : request.getHeader(HEADER);
        Optional<String> expected = existing(request);
        if (given == null || expected.isEmpty() || !MessageDigest.isEqual(
                given.getBytes(StandardCharsets.US_ASCII), expected.get().getBytes(StandardCharsets.US_ASCII))) {
            throw new ForbiddenException("missing or wrong form token");
        }
        if (!SameOrigin.allows(request, site)) {
            throw new ForbiddenException("cross-site request");
        }
    }
}
