package dev.athanor.api;

import dev.athanor.billing.Billing;
import java.util.Optional;

/**
 * Who may call: a live token (401 without one), within its rate limit (429), whose owner is entitled now (403).
 * The order matters: a stranger learns nothing about subscriptions, and a flood is stopped before the database is
 * asked about entitlements.
 */
final class ApiAccess {

    private final ApiTokens tokens;
    private final Billing billing;
    private final RateLimits limits;

    ApiAccess(ApiTokens tokens, Billing billing, RateLimits limits) {
        this.tokens = tokens;
        this.billing = billing;
        this.limits = limits;
    }

    /** The learner behind an {@code Authorization: Bearer TOKEN} header. */
    long bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiError.unauthorized("Send your API token as Authorization: Bearer TOKEN.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized("The Authorization header must be Bearer TOKEN.");
        }
        return check(tokens.authenticate(authorization.substring(7).strip(), ApiTokens.Kind.API, limits),
                "This token is not valid: it was revoked or mistyped.");
    }

    /** The learner behind a private feed's secret address. */
    long feed(String token) {
        return check(tokens.authenticate(token, ApiTokens.Kind.FEED, limits),
                "This feed address is not valid any more.");
    }

    private long check(Optional<ApiTokens.Owner> owner, String unknown) {
        ApiTokens.Owner found = owner.orElseThrow(() -> ApiError.unauthorized(unknown));
        if (found.waitFirst().isPresent()) {
            throw ApiError.rateLimited(found.waitFirst().get());
        }
        if (!billing.isEntitled(found.learnerId())) {
            throw ApiError.lapsed();
        }
        return found.learnerId();
    }
}
