package dev.athanor.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void humanGivesTheLargestSensibleUnitAndAtMostTwo() {
        assertThat(Durations.human(Duration.ZERO)).isEqualTo("0 s");
        assertThat(Durations.human(Duration.ofMillis(250))).isEqualTo("250 ms");
        assertThat(Durations.human(Duration.ofMillis(1999))).isEqualTo("1 s");
        assertThat(Durations.human(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(Durations.human(Duration.ofMinutes(12))).isEqualTo("12 min");
        assertThat(Durations.human(Duration.ofSeconds(12 * 60 + 5))).isEqualTo("12 min 5 s");
        assertThat(Durations.human(Duration.ofHours(1).plusMinutes(5))).isEqualTo("1 h 5 min");
        assertThat(Durations.human(Duration.ofHours(5).plusMinutes(20).plusSeconds(59))).isEqualTo("5 h 20 min");
        assertThat(Durations.human(Duration.ofDays(1).plusHours(6))).isEqualTo("30 h");
        assertThat(Durations.human(Duration.ofDays(54).plusHours(23))).isEqualTo("54 days");
    }

    @Test
    void aNegativeDurationReadsWithAMinus() {
        assertThat(Durations.human(Duration.ofMinutes(-90))).isEqualTo("-1 h 30 min");
    }

    @Test
    void inMinutesRoundsUpAndNeverSaysDays() {
        assertThat(Durations.inMinutes(Duration.ZERO)).isEqualTo("0 min");
        assertThat(Durations.inMinutes(Duration.ofSeconds(12))).isEqualTo("1 min");
        assertThat(Durations.inMinutes(Duration.ofSeconds(11 * 60 + 1))).isEqualTo("12 min");
        assertThat(Durations.inMinutes(Duration.ofMinutes(60))).isEqualTo("1 h");
        assertThat(Durations.inMinutes(Duration.ofSeconds(79 * 60 + 30))).isEqualTo("1 h 20 min");
        assertThat(Durations.inMinutes(Duration.ofHours(50))).isEqualTo("50 h");
    }

    @Test
    void clockReadsAsAPlayerShowsIt() {
        assertThat(Durations.clock(Duration.ofSeconds(12))).isEqualTo("0:12");
        assertThat(Durations.clock(Duration.ofSeconds(185))).isEqualTo("3:05");
        assertThat(Durations.clock(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
        assertThat(Durations.clock(Duration.ofSeconds(36_000))).isEqualTo("10:00:00");
        assertThat(Durations.clock(Duration.ofSeconds(-5))).isEqualTo("0:00");
        assertThat(Durations.clock(6_500L)).isEqualTo("0:06");
        assertThat(Durations.clock(3_723_000L)).isEqualTo("1:02:03");
    }
}
