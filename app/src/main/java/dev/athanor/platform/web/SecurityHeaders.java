package dev.athanor.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The browser security headers every response carries: a content security policy with no inline script and no
 * framing, {@code nosniff}, a referrer policy, and HSTS on requests that came over https (directly, or through nginx's
 * {@code X-Forwarded-Proto}).
 */
public final class SecurityHeaders {

    private final Map<String, String> always = new LinkedHashMap<>();
    private final String strictTransportSecurity;

    public SecurityHeaders(String contentSecurityPolicy, long hstsMaxAgeSeconds) {
        always.put("Content-Security-Policy", contentSecurityPolicy);
        always.put("X-Content-Type-Options", "nosniff");
        always.put("X-Frame-Options", "DENY");
        always.put("Referrer-Policy", "strict-origin-when-cross-origin");
        always.put("Cross-Origin-Opener-Policy", "same-origin");
        always.put("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        this.strictTransportSecurity = "max-age=" + hstsMaxAgeSeconds + "; includeSubDomains";
    }

    /** Sets the headers through {@code setter}, HSTS only when {@code secure}. */
    public void apply(boolean secure, BiConsumer<String, String> setter) {
        always.forEach(setter);
        if (secure) {
            setter.accept("Strict-Transport-Security", strictTransportSecurity);
        }
    }
}
