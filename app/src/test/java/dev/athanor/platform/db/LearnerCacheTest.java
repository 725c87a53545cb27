package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a {@link LearnerCache} keeps counts only while {@link LearnerChanges}' listener is proven alive, until its
 * learner is heard to change, and until its own end by time; a read that raced a change is not kept.
 */
class LearnerCacheTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final LearnerChanges changes = new LearnerChanges(nanos::get);
    private final LearnerCache<Long, String> cache = new LearnerCache<>("learner", changes, Clock.systemUTC(), 100,
            Duration.ofMinutes(10));
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void nothingIsKeptBeforeTheListenerListensNorOnceItIsSilentTooLong() {
        read(7);
        read(7);
        assertThat(reads).as("not listening: every read asks the database").hasValue(2);

        changes.listening();
        read(7);
        read(7);
        assertThat(reads).as("listening: kept").hasValue(3);

        nanos.addAndGet(Duration.ofMillis(LearnerChanges.TRUSTED_MILLIS + 1).toNanos());
        read(7);
        assertThat(reads).as("no proof of life for too long").hasValue(4);
        changes.confirmed(nanos.get());
        read(7);
        read(7);
        assertThat(reads).as("proven alive again: every change before the proof was heard, so the copy counts")
                .hasValue(4);

        changes.deaf();
        read(7);
        assertThat(reads).as("the connection lost").hasValue(5);
        changes.listening();
        read(7);
        assertThat(reads).as("what was kept before listening again does not count").hasValue(6);
    }

    @Test
    void aChangeHeardDropsThatLearnerOnly() {
        changes.listening();
        read(7);
        read(8);
        changes.heard("learner:7");
        changes.heard("progress:8");
        read(7);
        read(8);
        assertThat(reads).as("7 read again, 8 still kept (progress is another kind)").hasValue(3);
        changes.heard(LearnerChanges.EVERYTHING);
        read(8);
        assertThat(reads).hasValue(4);
    }

    @Test
    void aReadThatRacedAChangeIsNotKept() {
        changes.listening();
        cache.get(7L, id -> {
            changes.heard("learner:7"); // committed and heard while the read was on its way
            return Optional.of(new LearnerCache.Loaded<>("old", id, Instant.MAX));
        });
        assertThat(read(7)).as("read again, not the raced copy").isEqualTo("read 1");
    }

    @Test
    void aCopyEndsAtItsOwnMoment() {
        changes.listening();
        cache.get(7L, id -> Optional.of(new LearnerCache.Loaded<>("until now", id, Instant.now().minusMillis(1))));
        assertThat(read(7)).isEqualTo("read 1");
    }

    private String read(long learner) {
        return cache.get(learner, id -> Optional.of(new LearnerCache.Loaded<>("read " + reads.incrementAndGet(), id,
                Instant.MAX))).orElseThrow();
    }
}
