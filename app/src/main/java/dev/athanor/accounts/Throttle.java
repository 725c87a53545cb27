package dev.athanor.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Counts attempts per key (a client address, an account) in a sliding window, and says how long to wait once the
 * limit is reached. Kept in PostgreSQL ({@code throttle}), so every node counts against the same attempts: two nodes
 * allow what one allows. Each step is one statement on its own.
 */
final class Throttle {

    /** At most {@code attempts} in any {@code window}. */
    record Limit(int attempts, Duration window) {
    }

    private final Jdbi jdbi;
    private final Clock clock;

    Throttle(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Counts an attempt for {@code key} before it is made, unless the limit is reached: then nothing is counted and
     * the wait comes back. Checking and counting in one step keeps a burst of simultaneous attempts, on any nodes,
     * within the limit.
     */
    Optional<Duration> acquire(String key, Limit limit) {
        Instant now = clock.instant();
        Instant since = now.minus(limit.window());
        return jdbi.withExtension(ThrottleDao.class, dao -> {
            if (dao.acquire(key, now, since, limit.attempts()).isPresent()) {
                return Optional.empty();
            }
            Duration wait = dao.oldestSince(key, since).map(oldest -> Duration.between(now,
                    oldest.plus(limit.window()))).orElse(Duration.ZERO);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        });
    }

    /** Counts an attempt against two limits, or against neither when either is reached (then the wait). */
    Optional<Duration> acquireBoth(String first, Limit firstLimit, String second, Limit secondLimit) {
        Optional<Duration> wait = acquire(first, firstLimit);
        if (wait.isEmpty()) {
            wait = acquire(second, secondLimit);
            wait.ifPresent(ignored -> refund(first));
        }
        return wait;
    }

    /** Takes back the latest attempt counted for {@code key}: it turned out not to count (a right password). */
    void refund(String key) {
        jdbi.useExtension(ThrottleDao.class, dao -> dao.refund(key));
    }

    /** Forgets every attempt of {@code key} (the account's owner got in). */
    void forget(String key) {
        jdbi.useExtension(ThrottleDao.class, dao -> dao.forget(key));
    }

    /** Housekeeping: forgets the keys with no attempt in longer than any limit's window. */
    int expire(Handle handle) {
        return handle.attach(ThrottleDao.class).expire(clock.instant().minus(Limits.FORGOTTEN_AFTER));
    }
}
