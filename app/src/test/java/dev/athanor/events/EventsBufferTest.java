package dev.athanor.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Events never slow a request: when the buffer is full, an event is dropped and counted, and what was buffered is
 * written in one batch to real tables.
 */
class EventsBufferTest {

    @Test
    void aFullBufferDropsAndCountsWhatDoesNotFitAndTheRestIsWritten() {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        MetricRegistry metrics = new MetricRegistry();
        Events events = new Events(database.jdbi(), Clock.systemUTC(), 3, 60_000, metrics);

        for (int lesson = 1; lesson <= 5; lesson++) {
            events.lessonStarted(7, lesson);
        }
        assertThat(metrics.meter("dev.athanor.events.dropped").getCount()).isEqualTo(2);
        assertThat(metrics.getGauges().get("dev.athanor.events.queued").getValue()).isEqualTo(3);

        events.flush();

        assertThat(database.list("SELECT lesson_id FROM event WHERE kind = 'lesson_start' AND learner_id = 7"
                + " ORDER BY lesson_id", Long.class)).containsExactly(1L, 2L, 3L);
        assertThat(metrics.meter("dev.athanor.events.written").getCount()).isEqualTo(3);
        assertThat(metrics.getGauges().get("dev.athanor.events.queued").getValue()).isEqualTo(0);

        events.lessonStarted(7, 6);
        assertThat(metrics.meter("dev.athanor.events.dropped").getCount()).as("room again once written")
                .isEqualTo(2);
    }
}
