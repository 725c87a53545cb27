package dev.athanor.billing;

import dev.athanor.platform.db.LearnerCache;
import dev.athanor.platform.db.LearnerChanges;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The single answer to "may this learner watch subscriber lessons": a subscription that Stripe says is active or
 * trialing, one that is past due for less than the grace period (with a banner asking for a new card), or a manual
 * grant that has started and not ended.
 *
 * <p>The answer is kept in memory until the learner's grants or subscriptions change (the database announces it) or
 * the moment it would change by time alone: a grant ending or starting, a grace period running out.
 */
final class Entitlements {

    /** Answers kept at most, and for how long at most. */
    private static final long KEPT = 50_000;
    private static final Duration KEPT_FOR = Duration.ofMinutes(10);

    private final Jdbi jdbi;
    private final Duration grace;
    private final LearnerCache<Long, Billing.Access> kept;
    private final Clock clock;

    Entitlements(Jdbi jdbi, Duration pastDueGrace, LearnerChanges changes, Clock clock) {
        this.jdbi = jdbi;
        this.grace = pastDueGrace;
        this.kept = new LearnerCache<>("learner", changes, clock, KEPT, KEPT_FOR);
        this.clock = clock;
    }

    Billing.Access access(long learnerId) {
        return kept.get(learnerId, this::read).orElse(Billing.Access.NONE);
    }

    private Optional<LearnerCache.Loaded<Billing.Access>> read(long learnerId) {
        EntitlementDao.Standing standing = jdbi.withExtension(EntitlementDao.class,
                entitlements -> entitlements.standing(learnerId, grace.toSeconds()));
        Billing.Access access = standing.entitled() ? new Billing.Access(true, Optional.empty())
                : standing.graceUntil() == null ? Billing.Access.NONE
                : new Billing.Access(true, Optional.of(standing.graceUntil()));
        // The database's seconds, added to this node's clock: a skew between the two moves nothing.
        Instant until = standing.changesIn() == null ? Instant.MAX
                : clock.instant().plusMillis((long) (standing.changesIn() * 1000));
        return Optional.of(new LearnerCache.Loaded<>(access, learnerId, until));
    }
}
