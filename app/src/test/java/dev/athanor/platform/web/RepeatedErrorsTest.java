package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The first error of a kind in a minute is logged in full; the rest are counted and summed up in one line. */
class RepeatedErrorsTest {

    private final AtomicLong now = new AtomicLong();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final RepeatedErrors repeated = new RepeatedErrors(logger(), now::get);

    private Logger logger() {
        Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("repeated-errors-test");
        lines.start();
        logger.addAppender(lines);
        return logger;
    }

    @Test
    void theSameFaultIsLoggedOnceAMinuteWithACount() {
        List<Boolean> logged = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            logged.add(repeated.first(fault("row " + i), "ref" + i));
        }
        assertThat(logged.get(0)).as("the first is logged in full").isTrue();
        assertThat(logged.subList(1, 300)).as("whatever their messages, the others are counted").containsOnly(false);
        assertThat(repeated.first(otherFault(), "other")).as("another kind of fault").isTrue();
        assertThat(lines.list).isEmpty();

        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        assertThat(repeated.first(fault("again"), "ref-again")).as("a new minute logs it in full again").isTrue();
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage())
                .startsWith("Error ref0 (java.lang.IllegalStateException at ")
                .contains("repeated 299 more time(s) in the last minute, the last as ref299");

        repeated.summarize(true);
        assertThat(lines.list).as("nothing repeated since: no summary").hasSize(1);
    }

    @Test
    void theSameClassThrownElsewhereIsAnotherKind() {
        assertThat(repeated.first(fault("a"), "a")).isTrue();
        assertThat(repeated.first(new IllegalStateException("b"), "b")).isTrue();
    }

    private static IllegalStateException fault(String message) {
        return new IllegalStateException(message);
    }

    private static RuntimeException otherFault() {
        return new RuntimeException(new java.sql.SQLException("deep"));
    }
}
