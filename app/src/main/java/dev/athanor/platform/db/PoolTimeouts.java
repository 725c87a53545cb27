package dev.athanor.platform.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When requests last gave up waiting for a connection of the site's pool: counted per minute over a short window, so
 * that the {@code database-pool} check can say "12 in the last 5 minutes" and turn healthy again by itself once the
 * pool has kept up for that long. Thread-safe; recording is rare (it follows a wait of
 * {@code database.maxWaitForConnection}), so a lock costs nothing that matters.
 */
final class PoolTimeouts {

    /** How far back the check looks. */
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int MINUTES = (int) WINDOW.toMinutes();

    private final Clock clock;
    private final long[] minuteOf = new long[MINUTES];
    private final long[] countIn = new long[MINUTES];
    private Instant latest;

    PoolTimeouts(Clock clock) {
        this.clock = clock;
    }

    /** Notes one request that got no connection in time. */
    synchronized void record() {
        Instant now = clock.instant();
        long minute = now.getEpochSecond() / 60;
        int slot = (int) (minute % MINUTES);
        if (minuteOf[slot] != minute) {
            minuteOf[slot] = minute;
            countIn[slot] = 0;
        }
        countIn[slot]++;
        latest = now;
    }

    /** How many timed out within the last {@link #WINDOW} (by whole minutes), and when the latest did. */
    synchronized Recent recent() {
        long minute = clock.instant().getEpochSecond() / 60;
        long count = 0;
        for (int slot = 0; slot < MINUTES; slot++) {
            if (minute - minuteOf[slot] < MINUTES) {
                count += countIn[slot];
            }
        }
        return new Recent(count, count == 0 ? Optional.empty() : Optional.ofNullable(latest));
    }

    /** Timeouts in the window, and the time of the latest. */
    record Recent(long count, Optional<Instant> latest) {
    }
}
