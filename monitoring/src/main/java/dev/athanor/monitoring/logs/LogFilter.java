package dev.athanor.monitoring.logs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which lines {@code ops logs} prints: a time range, a least level, a text, statuses and a path prefix. Every part is
 * optional; a line must pass all that are set. A line without the property a part asks about (a status on an app line)
 * does not pass it.
 *
 * @param since lines at or after this time; null for no lower bound
 * @param until lines before this time; null for no upper bound
 * @param level the least level (TRACE, DEBUG, INFO, WARN, ERROR); null for any
 * @param grep text the line must contain, ignoring case; null for any
 * @param statuses inclusive ranges of HTTP statuses, any of which must hold; empty for any
 * @param pathPrefix the request path must start with this; null for any
 */
public record LogFilter(Instant since, Instant until, String level, String grep, List<int[]> statuses,
        String pathPrefix) {

    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*(s|sec|m|min|h|d|w)");

    /** Lets every line through. */
    public static final LogFilter NONE = new LogFilter(null, null, null, null, List.of(), null);

    public LogFilter {
        statuses = List.copyOf(statuses);
        level = level == null ? null : normalizeLevel(level);
        grep = grep == null || grep.isEmpty() ? null : grep.toLowerCase(Locale.ROOT);
    }

    public LogFilter withSince(Instant newSince) {
        return new LogFilter(newSince, until, level, grep, statuses, pathPrefix);
    }

    /** Whether {@code line} passes every part of this filter. */
    public boolean matches(LogLine line) {
        if ((since != null || until != null) && line.time() == null) {
            return false;
        }
        if (since != null && line.time().isBefore(since)) {
            return false;
        }
        if (until != null && !line.time().isBefore(until)) {
            return false;
        }
        if (level != null && (line.level() == null || rank(line.level()) < rank(level))) {
            return false;
        }
        if (!statuses.isEmpty() && statuses.stream().noneMatch(range -> line.status() >= range[0]
                && line.status() <= range[1])) {
            return false;
        }
        if (pathPrefix != null && (line.path() == null || !line.path().startsWith(pathPrefix))) {
            return false;
        }
        return grep == null || line.raw().toLowerCase(Locale.ROOT).contains(grep);
    }

    /**
     * A point in time as the operator writes it: relative to {@code now} ({@code 90s}, {@code 15m}, {@code 1h},
     * {@code 2d}, {@code 1w}), or absolute ({@code 2026-11-26}, {@code 2026-11-26T18:00}, {@code 2026-11-26T18:00:00Z})
     * in {@code zone} when it names none.
     *
     * @throws IllegalArgumentException naming what it expected
     */
    public static Instant parseTime(String text, Instant now, ZoneId zone) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher relative = RELATIVE.matcher(value);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration unit = switch (relative.group(2)) {
                case "s", "sec" -> Duration.ofSeconds(1);
                case "m", "min" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return now.minus(unit.multipliedBy(amount));
        }
        String upper = text.strip().toUpperCase(Locale.ROOT).replace(' ', 'T');
        try {
            return OffsetDateTime.parse(upper).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(upper).atZone(zone).toInstant();
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(upper).atStartOfDay(zone).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException("'" + text + "' is not a time: use 30m, 1h, 2d, 2026-11-26"
                            + " or 2026-11-26T18:00");
                }
            }
        }
    }

    /**
     * HTTP statuses as the operator writes them: {@code 5xx}, {@code 404}, {@code 500-504}, or several separated by
     * commas ({@code 404,5xx}).
     *
     * @throws IllegalArgumentException naming what it expected
     */
    public static List<int[]> parseStatuses(String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String value = part.strip().toLowerCase(Locale.ROOT);
            if (value.matches("[1-5]xx")) {
                int hundred = (value.charAt(0) - '0') * 100;
                ranges.add(new int[] {hundred, hundred + 99});
            } else if (value.matches("\\d{3}")) {
                int status = Integer.parseInt(value);
                ranges.add(new int[] {status, status});
            } else if (value.matches("\\d{3}-\\d{3}")) {
                ranges.add(new int[] {Integer.parseInt(value.substring(0, 3)), Integer.parseInt(value.substring(4))});
            } else {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a status: use 5xx, 404, 500-504 or"
                        + " a list such as 404,5xx");
            }
        }
        return ranges;
    }

    private static String normalizeLevel(String level) {
        String upper = level.strip().toUpperCase(Locale.ROOT);
        if (upper.equals("WARNING")) {
            return "WARN";
        }
        if (!LEVELS.contains(upper)) {
            throw new IllegalArgumentException("'" + level + "' is not a level: use TRACE, DEBUG, INFO, WARN or ERROR");
        }
        return upper;
    }

    private static int rank(String level) {
        int rank = LEVELS.indexOf(level);
        return rank < 0 ? LEVELS.size() : rank; // unknown levels (FATAL) count as severe
    }
}
