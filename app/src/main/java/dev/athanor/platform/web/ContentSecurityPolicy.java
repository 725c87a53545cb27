package dev.athanor.platform.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Adds sources to directives of a Content-Security-Policy: the site's contexts name the other origins they send
 * browsers to (Stripe's Checkout after a form post, a bucket's signed video URLs), and the policy allows exactly
 * those.
 */
public final class ContentSecurityPolicy {

    private ContentSecurityPolicy() {
    }

    /** {@code policy} with {@code sources} added to {@code directive} (which is created when missing). */
    public static String allow(String policy, String directive, Collection<String> sources) {
        if (sources.isEmpty()) {
            return policy;
        }
        List<String> directives = new ArrayList<>();
        boolean found = false;
        for (String part : policy.split(";")) {
            String trimmed = part.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.equals(directive) || trimmed.startsWith(directive + " ")) {
                trimmed = trimmed + " " + String.join(" ", sources);
                found = true;
            }
            directives.add(trimmed);
        }
        if (!found) {
            directives.add(directive + " 'self' " + String.join(" ", sources));
        }
        return String.join("; ", directives);
    }
}
