package dev.athanor.common;

import java.time.Duration;

/**
 * Durations as people read them, the same in every module and every message: a number and a unit with a space
 * between, the largest sensible unit first and at most two of them: {@code "250 ms"}, {@code "45 s"},
 * {@code "12 min 5 s"}, {@code "5 h 20 min"}, {@code "30 h"}, {@code "54 days"}. Config files and command-line
 * options keep their own compact syntax ({@code 30s}, {@code 1h}); this is for output only.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * The largest sensible unit: whole days from two days on, else hours and minutes, minutes and seconds, seconds,
     * or milliseconds under a second. Negative durations read with a leading {@code "-"}.
     */
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
        if (duration.getSeconds() == 0 && duration.getNano() > 0) {
            return duration.toMillis() + " ms";
        }
        return duration.toSeconds() + " s";
    }

    /**
     * Rounded up to whole minutes and given in hours and minutes, as a course's length reads: {@code "12 min"},
     * {@code "1 h 20 min"}, {@code "50 h"}; {@code "0 min"} when there is nothing.
     */
    public static String inMinutes(Duration duration) {
        long minutes = Math.max(0, duration.plusSeconds(59).toMinutes());
        if (minutes < 60) {
            return minutes + " min";
        }
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }

    /** As a video player shows a length: {@code "0:12"}, {@code "3:05"}, {@code "1:02:03"}. */
    public static String clock(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        StringBuilder clock = new StringBuilder(8);
        if (hours > 0) {
            clock.append(hours).append(':').append(minutes < 10 ? "0" : "");
        }
        return clock.append(minutes).append(rest < 10 ? ":0" : ":").append(rest).toString();
    }

    /** As a video player shows a moment given in milliseconds: {@code "0:06"}, {@code "1:02:03"}. */
    public static String clock(long millis) {
        return clock(Duration.ofMillis(millis));
    }
}
