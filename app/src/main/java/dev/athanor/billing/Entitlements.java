package dev.athanor.billing;

import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The single answer to "may this learner watch subscriber lessons": a subscription that Stripe says is active or
 * trialing, one that is past due for less than the grace period (with a banner asking for a new card), or a manual
 * grant that has started and not ended.
 */
final class Entitlements {

    private final Jdbi jdbi;
    private final Duration grace;

    Entitlements(Jdbi jdbi, Duration pastDueGrace) {
        this.jdbi = jdbi;
        this.grace = pastDueGrace;
    }

    Billing.Access access(long learnerId) {
        EntitlementDao.Standing standing = jdbi.withExtension(EntitlementDao.class,
                entitlements -> entitlements.standing(learnerId, grace.toSeconds()));
        if (standing.entitled()) {
            return new Billing.Access(true, Optional.empty());
        }
        return standing.graceUntil() == null ? Billing.Access.NONE
                : new Billing.Access(true, Optional.of(standing.graceUntil()));
    }
}
