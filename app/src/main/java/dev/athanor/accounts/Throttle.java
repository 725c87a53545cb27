package dev.athanor.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Counts attempts per key (a client address, an account) in a sliding window, and says how long to wait once the
 * limit is reached. Kept in memory and bounded: each node limits on its own, which still caps guessing at a few
 * attempts a minute per node.
 */
final class Throttle {

    /** At most {@code attempts} in any {@code window}. */
    record Limit(int attempts, Duration window) {
    }

    private final Cache<String, Deque<Instant>> attempts = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(2)).build();
    private final Clock clock;

    Throttle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code key} must wait before another attempt, or empty when it may go ahead. */
    Optional<Duration> waitFor(String key, Limit limit) {
        Deque<Instant> recent = attempts.getIfPresent(key);
        if (recent == null) {
            return Optional.empty();
        }
        synchronized (recent) {
            Instant now = clock.instant();
            prune(recent, now, limit);
            if (recent.size() < limit.attempts()) {
                return Optional.empty();
            }
            Duration wait = Duration.between(now, recent.peekFirst().plus(limit.window()));
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        }
    }

    /**
     * Counts an attempt for {@code key} before it is made, unless the limit is reached: then nothing is counted and
     * the wait comes back. Checking and counting in one step keeps a burst of simultaneous attempts within the limit.
     */
    Optional<Duration> acquire(String key, Limit limit) {
        Deque<Instant> recent = attempts.get(key, ignored -> new ArrayDeque<>());
        synchronized (recent) {
            Instant now = clock.instant();
            prune(recent, now, limit);
            if (recent.size() >= limit.attempts()) {
                Duration wait = Duration.between(now, recent.peekFirst().plus(limit.window()));
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            }
            recent.addLast(now);
            return Optional.empty();
        }
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
        Deque<Instant> recent = attempts.getIfPresent(key);
        if (recent != null) {
            synchronized (recent) {
                recent.pollLast();
            }
        }
    }

    /** Counts one attempt for {@code key}. */
    void record(String key, Limit limit) {
        Deque<Instant> recent = attempts.get(key, ignored -> new ArrayDeque<>());
        synchronized (recent) {
            Instant now = clock.instant();
            prune(recent, now, limit);
            recent.addLast(now);
            while (recent.size() > limit.attempts()) {
                recent.removeFirst();
            }
        }
    }

    void forget(String key) {
        attempts.invalidate(key);
    }

    private static void prune(Deque<Instant> recent, Instant now, Limit limit) {
        while (!recent.isEmpty() && !recent.peekFirst().plus(limit.window()).isAfter(now)) {
            recent.removeFirst();
        }
    }
}
