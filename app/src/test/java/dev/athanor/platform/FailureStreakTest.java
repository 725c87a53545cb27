package dev.athanor.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A background job failing every second for ten minutes writes a line a minute, not six hundred. */
class FailureStreakTest {

    private final AtomicLong now = new AtomicLong();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final FailureStreak streak = new FailureStreak(logger(), "The outbox could not be read", now::get);

    private Logger logger() {
        Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("failure-streak-test");
        lines.start();
        logger.addAppender(lines);
        return logger;
    }

    @Test
    void aRunOfFailuresIsLoggedWhenItStartsOnceAMinuteAndWhenItEnds() {
        streak.succeeded();
        assertThat(lines.list).as("nothing to say while the job works").isEmpty();
        for (int second = 0; second < 600; second++) {
            now.set(TimeUnit.SECONDS.toNanos(second));
            streak.failed("Connection to 127.0.0.1:5432 refused");
        }
        now.set(TimeUnit.SECONDS.toNanos(600));
        streak.succeeded();
        streak.succeeded();

        assertThat(lines.list).hasSize(1 + 9 + 1);
        assertThat(lines.list.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(lines.list.get(0).getFormattedMessage())
                .isEqualTo("The outbox could not be read: Connection to 127.0.0.1:5432 refused");
        assertThat(lines.list.get(1).getFormattedMessage())
                .isEqualTo("The outbox could not be read (61 times in 1 min): Connection to 127.0.0.1:5432 refused");
        ILoggingEvent last = lines.list.get(10);
        assertThat(last.getLevel()).isEqualTo(Level.INFO);
        assertThat(last.getFormattedMessage()).isEqualTo(
                "The outbox could not be read for 10 min (600 failures); it works again");
    }

    @Test
    void aNewRunAfterRecoveryStartsAfresh() {
        streak.failed("refused");
        streak.succeeded();
        now.set(TimeUnit.SECONDS.toNanos(5));
        streak.failed("refused again");
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "The outbox could not be read: refused",
                "The outbox could not be read for 0 s (1 failures); it works again",
                "The outbox could not be read: refused again");
    }
}
