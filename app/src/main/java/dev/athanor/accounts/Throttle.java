package dev.athanor.accounts;

import com.codahale.metrics.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Counts attempts per key (a client address, an account) in a sliding window, and says how long to wait once the
 * limit is reached. Kept in PostgreSQL ({@code throttle}), so every node counts against the same attempts: two nodes
 * allow what one allows. One statement per call (two keys at once where two limits apply), on the caller's
 * connection where it holds one; {@code calls} times them.
 */
final class Throttle {

    /** At most {@code attempts} in any {@code window}. */
    record Limit(int attempts, Duration window) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Timer calls;

    /** {@code calls} times each call: what the shared limits cost a sign-in. */
    Throttle(Jdbi jdbi, Clock clock, Timer calls) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.calls = calls;
    }

    /**
     * Counts an attempt for {@code key} before it is made, unless the limit is reached: then nothing is counted and
     * the wait comes back. Checking and counting in one step keeps a burst of simultaneous attempts, on any nodes,
     * within the limit.
     */
    Optional<Duration> acquire(Handle handle, String key, Limit limit) {
        try (Timer.Context ignored = calls.time()) {
            return acquire(handle.attach(ThrottleDao.class), key, limit);
        }
    }

    /** Counts an attempt against two limits, or against neither when either is reached (then the wait). */
    Optional<Duration> acquireBoth(String first, Limit firstLimit, String second, Limit secondLimit) {
        return jdbi.withHandle(handle -> acquireBoth(handle, first, firstLimit, second, secondLimit));
    }

    /** {@link #acquireBoth(String, Limit, String, Limit)} on a connection the caller holds anyway. */
    Optional<Duration> acquireBoth(Handle handle, String first, Limit firstLimit, String second, Limit secondLimit) {
        try (Timer.Context ignored = calls.time()) {
            ThrottleDao dao = handle.attach(ThrottleDao.class);
            Instant now = clock.instant();
            List<String> counted = dao.acquireBoth(first, firstLimit.attempts(), now.minus(firstLimit.window()),
                    second, secondLimit.attempts(), now.minus(secondLimit.window()), now);
            if (counted.size() == 2) {
                return Optional.empty();
            }
            counted.forEach(dao::refund);
            return Optional.of(counted.contains(first) ? waitFor(dao, second, secondLimit, now)
                    : waitFor(dao, first, firstLimit, now));
        }
    }

    /** Takes back the latest attempt counted for each key: it turned out not to count (the hashing was busy). */
    void refund(String... keys) {
        try (Timer.Context ignored = calls.time()) {
            jdbi.useExtension(ThrottleDao.class, dao -> {
                for (String key : keys) {
                    dao.refund(key);
                }
            });
        }
    }

    /**
     * After a right password: takes back the attempt counted for {@code refunded}, then forgets {@code forgotten}'s
     * (in the order {@link #acquireBoth} locks them).
     */
    void settle(String refunded, String forgotten) {
        try (Timer.Context ignored = calls.time()) {
            jdbi.useExtension(ThrottleDao.class, dao -> {
                dao.refund(refunded);
                dao.forget(forgotten);
            });
        }
    }

    /** Forgets every attempt of {@code key} (the account's owner got in). */
    void forget(String key) {
        try (Timer.Context ignored = calls.time()) {
            jdbi.useExtension(ThrottleDao.class, dao -> dao.forget(key));
        }
    }

    /** Housekeeping: forgets the keys with no attempt in longer than any limit's window. */
    int expire(Handle handle) {
        return handle.attach(ThrottleDao.class).expire(clock.instant().minus(Limits.FORGOTTEN_AFTER));
    }

    private Optional<Duration> acquire(ThrottleDao dao, String key, Limit limit) {
        Instant now = clock.instant();
        if (dao.acquire(key, now, now.minus(limit.window()), limit.attempts()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(waitFor(dao, key, limit, now));
    }

    /** Until the oldest attempt of {@code key} in its window leaves it. */
    private static Duration waitFor(ThrottleDao dao, String key, Limit limit, Instant now) {
        Duration wait = dao.oldestSince(key, now.minus(limit.window()))
                .map(oldest -> Duration.between(now, oldest.plus(limit.window()))).orElse(Duration.ZERO);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
