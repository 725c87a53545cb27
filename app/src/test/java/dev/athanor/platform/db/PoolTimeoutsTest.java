package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The {@code database-pool} warning counts the last five minutes' timeouts and clears by itself after them. */
class PoolTimeoutsTest {

    private Instant now = Instant.parse("2026-12-06T10:00:30Z");
    private final PoolTimeouts timeouts = new PoolTimeouts(new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void countsTheLastFiveMinutesAndForgetsOlderOnes() {
        assertThat(timeouts.recent().count()).isZero();
        assertThat(timeouts.recent().latest()).isEmpty();

        timeouts.record();
        timeouts.record();
        now = now.plus(Duration.ofMinutes(3));
        timeouts.record();
        assertThat(timeouts.recent().count()).isEqualTo(3);
        assertThat(timeouts.recent().latest()).contains(Instant.parse("2026-12-06T10:03:30Z"));

        now = now.plus(Duration.ofMinutes(2));
        assertThat(timeouts.recent().count()).as("the first two are five minutes old").isEqualTo(1);
        // a new timeout in the slot the first two used does not add to them
        timeouts.record();
        assertThat(timeouts.recent().count()).isEqualTo(2);

        now = now.plus(Duration.ofMinutes(5));
        assertThat(timeouts.recent().count()).isZero();
        assertThat(timeouts.recent().latest()).isEmpty();
    }
}
