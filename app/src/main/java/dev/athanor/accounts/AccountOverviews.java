package dev.athanor.accounts;

import dev.athanor.platform.db.LearnerCache;
import dev.athanor.platform.db.LearnerChanges;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * What the account page shows of a learner (the account, its sessions, the newsletter consent, two-factor status),
 * kept in memory until any of it changes (the database announces it) or a minute passes,
 * as the sessions' last-seen times, touched once a minute and not announced, age.
 */
final class AccountOverviews {

    /** The account page's facts of one learner. */
    record Overview(Accounts.Account account, List<SessionDao.ListedRow> sessions, boolean newsletter,
            TwoFactor.Status twoFactor) {
    }

    private static final long KEPT = 10_000;
    private static final Duration KEPT_FOR = Duration.ofMinutes(1);

    private final Clock clock;
    private final LearnerCache<Long, Overview> kept;
    private final LongFunction<Optional<Overview>> read;

    AccountOverviews(Clock clock, LearnerChanges changes, LongFunction<Optional<Overview>> read) {
        this.clock = clock;
        this.kept = new LearnerCache<>("learner", changes, clock, KEPT, KEPT_FOR);
        this.read = read;
    }

    /** The learner's overview; empty when there is no such account. */
    Optional<Overview> of(long learnerId) {
        return kept.get(learnerId, id -> read.apply(id)
                .map(overview -> new LearnerCache.Loaded<>(overview, id, clock.instant().plus(KEPT_FOR))));
    }
}
