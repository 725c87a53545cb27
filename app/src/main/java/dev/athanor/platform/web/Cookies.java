package dev.athanor.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * The site's cookies: {@code __Host-} names, Secure, HttpOnly and SameSite=Lax when the site is served over https
 * (the prefix makes browsers refuse them from anywhere else); plain names on http, for a newcomer's localhost.
 */
public final class Cookies {

    private final boolean secure;

    public Cookies(Site site) {
        this.secure = "https".equals(site.baseUrl().getScheme());
    }

    /** The cookie's name on this site: {@code __Host-NAME} over https, {@code NAME} otherwise. */
    public String name(String base) {
        return secure ? "__Host-" + base : base;
    }

    /** A {@code Set-Cookie} value for {@code base}, kept for {@code lifetime}. */
    public String set(String base, String value, Duration lifetime) {
        return name(base) + "=" + value + "; Path=/; Max-Age=" + lifetime.toSeconds() + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }

    /** A {@code Set-Cookie} value that removes {@code base}. */
    public String clear(String base) {
        return name(base) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /** The value of {@code base} sent with {@code request}. */
    public Optional<String> read(HttpServletRequest request, String base) {
        jakarta.servlet.http.Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        String name = name(base);
        for (jakarta.servlet.http.Cookie cookie : cookies) {
            if (cookie.getName().equals(name) && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }
}
