package dev.athanor.platform.db;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a signed-in page needs of a learner (a session, their access, their progress in a course), kept in memory by
 * {@code key} and dropped when {@link LearnerChanges} hears the learner changed; each copy also carries the moment it
 * stops being true by time alone (a session's expiry, a grant's end), and lives at most {@code maxAge}. A read that
 * finds nothing usable asks the database ({@code load}), and keeps the answer only when the listener is trusted.
 *
 * @param <K> what a copy is found by (a session token's hash, a learner id, learner and course)
 * @param <V> the copy
 */
public final class LearnerCache<K, V> {

    /** A read from the database: its value, the learner it belongs to, and until when it holds by time alone. */
    public record Loaded<V>(V value, long learnerId, Instant until) {
    }

    private record Copy<V>(V value, String learnerKey, Instant until, long mark) {
    }

    private final String kind;
    private final LearnerChanges changes;
    private final Clock clock;
    private final Cache<K, Copy<V>> copies;

    /**
     * @param kind the announcements that make copies stale: {@code learner} (account, sessions, access) or
     *     {@code progress}
     */
    public LearnerCache(String kind, LearnerChanges changes, Clock clock, long maximumSize, Duration maxAge) {
        this.kind = kind;
        this.changes = changes;
        this.clock = clock;
        this.copies = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(maxAge).build();
    }

    /** The value for {@code key}, from memory while it is still true, else from {@code load} (empty: none). */
    public Optional<V> get(K key, Function<K, Optional<Loaded<V>>> load) {
        Copy<V> copy = copies.getIfPresent(key);
        Instant now = clock.instant();
        if (copy != null && now.isBefore(copy.until()) && changes.stillTrue(copy.learnerKey(), copy.mark())) {
            return Optional.of(copy.value());
        }
        long mark = changes.mark();
        Optional<Loaded<V>> loaded = load.apply(key);
        if (loaded.isEmpty()) {
            copies.invalidate(key);
            return Optional.empty();
        }
        Loaded<V> found = loaded.get();
        if (mark >= 0 && now.isBefore(found.until())) {
            copies.put(key, new Copy<>(found.value(), kind + ":" + found.learnerId(), found.until(), mark));
        }
        return Optional.of(found.value());
    }

    /** Replaces the kept copy of {@code key}, if any, by {@code value} (this node changed it and knows the result). */
    public void update(K key, Function<V, V> change) {
        copies.asMap().computeIfPresent(key, (k, copy) -> new Copy<>(change.apply(copy.value()), copy.learnerKey(),
                copy.until(), copy.mark()));
    }
}
