package dev.athanor.content;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How dates read on the pages: {@code 26 November 2026} for people, {@code 2026-11-26} for machines. (Durations and
 * sizes read as everywhere else: {@link dev.athanor.common.Durations}, {@link dev.athanor.common.Sizes}.)
 */
final class PageDates {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private PageDates() {
    }

    static String date(Instant instant) {
        return DATE.format(instant);
    }

    static String isoDate(Instant instant) {
        return DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(instant);
    }
}
