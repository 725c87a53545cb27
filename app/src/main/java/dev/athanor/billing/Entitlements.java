package dev.athanor.billing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The single answer to "may this learner watch subscriber lessons": a subscription that Stripe says is active or
 * trialing, one that is past due for less than the grace period (with a banner asking for a new card), or a manual
 * grant that has started and not ended.
 */
public final class Entitlements {

    /** What a learner has: whether they may watch, and until when a past-due subscription still lets them. */
    public record Access(boolean entitled, Optional<Instant> graceUntil) {

        public static final Access NONE = new Access(false, Optional.empty());

        /** True while access hangs on a failed payment being fixed. */
        public boolean inGrace() {
            return graceUntil.isPresent();
        }
    }

    private final Jdbi jdbi;
    private final Duration grace;

    public Entitlements(Jdbi jdbi, Duration pastDueGrace) {
        this.jdbi = jdbi;
        this.grace = pastDueGrace;
    }

    public boolean isEntitled(long learnerId) {
        return access(learnerId).entitled();
    }

    public Access access(long learnerId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT EXISTS (SELECT 1 FROM entitlement WHERE learner_id = :learner
                               AND starts_at <= now() AND (ends_at IS NULL OR ends_at > now()))
                    OR EXISTS (SELECT 1 FROM subscription WHERE learner_id = :learner
                               AND status IN ('active', 'trialing')),
                       (SELECT max(past_due_since) + make_interval(secs => :grace) FROM subscription
                        WHERE learner_id = :learner AND status = 'past_due'
                          AND past_due_since + make_interval(secs => :grace) > now())""")
                .bind("learner", learnerId).bind("grace", grace.toSeconds())
                .map((rs, ctx) -> {
                    java.sql.Timestamp graceEnd = rs.getTimestamp(2);
                    if (rs.getBoolean(1)) {
                        return new Access(true, Optional.empty());
                    }
                    return graceEnd == null ? Access.NONE : new Access(true, Optional.of(graceEnd.toInstant()));
                })
                .one());
    }
}
