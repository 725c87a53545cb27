package dev.athanor.monitoring;

import java.time.Duration;

/** Durations written for people: the largest sensible unit, such as {@code "54 days"}, {@code "5 h 20 min"}. */
public final class Durations {

    private Durations() {
    }

    public static String human(Duration duration) {
        if (duration.isNegative()) {
            return "-" + human(duration.negated());
        }
        if (duration.toDays() >= 2) {
            return duration.toDays() + " days";
        }
        if (duration.toHours() >= 1) {
            return duration.toHours() + " h" + (duration.toMinutesPart() == 0 ? "" : " " + duration.toMinutesPart()
                    + " min");
        }
        if (duration.toMinutes() >= 1) {
            return duration.toMinutes() + " min" + (duration.toSecondsPart() == 0 ? "" : " " + duration
                    .toSecondsPart() + " s");
        }
        return duration.toSeconds() + " s";
    }
}
