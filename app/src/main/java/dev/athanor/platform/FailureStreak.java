package dev.athanor.platform;

import dev.athanor.common.Durations;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A background job's run of failures, logged as a run rather than a line a try: a WARN at the first failure, one a
 * minute while they go on (with how many), and an INFO when the job works again. The outbox, the event writer and
 * the publication clock try every second or so; without this, a database outage of an hour would write thousands of
 * lines each.
 */
public final class FailureStreak {

    private static final long REMINDER_NANOS = Duration.ofMinutes(1).toNanos();

    private final Logger logger;
    private final String job;
    private final LongSupplier nanoTime;
    private long failures;
    private long startedNanos;
    private long loggedNanos;

    /** @param job what fails, as the start of a sentence: "The outbox could not be read" */
    public FailureStreak(Logger logger, String job) {
        this(logger, job, System::nanoTime);
    }

    FailureStreak(Logger logger, String job, LongSupplier nanoTime) {
        this.logger = logger;
        this.job = job;
        this.nanoTime = nanoTime;
    }

    /** The job failed once more, for {@code reason}. */
    public synchronized void failed(String reason) {
        long now = nanoTime.getAsLong();
        if (failures++ == 0) {
            startedNanos = now;
            loggedNanos = now;
            logger.warn("{}: {}", job, reason);
        } else if (now - loggedNanos >= REMINDER_NANOS) {
            loggedNanos = now;
            logger.warn("{} ({} times in {}): {}", job, failures, since(now), reason);
        }
    }

    /** The job worked: ends a run of failures, if one was on, with one line. */
    public synchronized void succeeded() {
        if (failures == 0) {
            return;
        }
        logger.info("{} for {} ({} failures); it works again", job, since(nanoTime.getAsLong()), failures);
        failures = 0;
    }

    private String since(long now) {
        return Durations.human(Duration.ofNanos(now - startedNanos));
    }
}
