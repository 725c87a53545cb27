package dev.athanor.content;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How times and dates read on the pages: {@code 3:05}, {@code 1:02:03}, {@code 26 November 2026}. */
final class Durations {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private Durations() {
    }

    static String clock(int seconds) {
        int hours = seconds / 3600;
        int minutes = seconds % 3600 / 60;
        int rest = seconds % 60;
        return hours > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, rest)
                : String.format(Locale.ROOT, "%d:%02d", minutes, rest);
    }

    /** A course's total, such as {@code 1 h 20 min} or {@code 12 min}. */
    static String total(int seconds) {
        int minutes = (seconds + 59) / 60;
        return minutes >= 60 ? minutes / 60 + " h " + minutes % 60 + " min" : minutes + " min";
    }

    static String date(Instant instant) {
        return DATE.format(instant);
    }

    static String isoDate(Instant instant) {
        return DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(instant);
    }
}
