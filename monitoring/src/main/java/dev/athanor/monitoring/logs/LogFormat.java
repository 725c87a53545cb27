package dev.athanor.monitoring.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How lines of each log are read. The site's logs ({@code app}, {@code requests}, the scheduler's) and nginx's access
 * log are JSON lines with a {@code timestamp}: epoch milliseconds as Dropwizard's {@code json} and {@code access-json}
 * layouts write it, epoch seconds with a fraction as nginx's {@code $msec} gives it, or an ISO-8601 string. nginx's
 * error log is plain text starting {@code 2026/11/26 18:08:00 [error]}, in the server's time zone.
 */
public enum LogFormat {

    /** JSON lines with a level ({@code app}, {@code scheduler}). */
    EVENTS,
    /** JSON lines with a status and a uri ({@code requests}, nginx's access log). */
    REQUESTS,
    /** nginx's error log. */
    NGINX_ERROR;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIMESTAMP = "\"timestamp\":";
    private static final DateTimeFormatter NGINX_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss",
            Locale.ROOT);

    /** Reads {@code raw}; a line that cannot be parsed is kept with what could be read (at least its text). */
    public LogLine parse(String raw, ZoneId zone) {
        if (this == NGINX_ERROR) {
            return new LogLine(raw, timeOf(raw, zone), nginxLevel(raw), 0, null, null);
        }
        JsonNode fields;
        try {
            fields = raw.startsWith("{") ? JSON.readTree(raw) : null;
        } catch (JsonProcessingException e) {
            fields = null;
        }
        if (fields == null || !fields.isObject()) {
            return new LogLine(raw, timeOf(raw, zone), null, 0, null, null);
        }
        Instant time = instant(fields.get("timestamp"));
        if (this == REQUESTS) {
            int status = fields.path("status").asInt(0);
            String level = status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO";
            JsonNode uri = fields.get("uri");
            return new LogLine(raw, time, level, status, uri == null ? null : uri.asText(), fields);
        }
        JsonNode level = fields.get("level");
        return new LogLine(raw, time, level == null ? null : level.asText().toUpperCase(Locale.ROOT), 0, null,
                fields);
    }

    /**
     * The time of {@code raw} read without parsing the whole line (used to seek in large files), or null when it has
     * none.
     */
    public Instant timeOf(String raw, ZoneId zone) {
        if (this == NGINX_ERROR) {
            if (raw.length() < 19) {
                return null;
            }
            try {
                return LocalDateTime.parse(raw.substring(0, 19), NGINX_TIME).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        int at = raw.indexOf(TIMESTAMP);
        if (at < 0) {
            return null;
        }
        int start = at + TIMESTAMP.length();
        while (start < raw.length() && raw.charAt(start) == ' ') {
            start++;
        }
        if (start >= raw.length()) {
            return null;
        }
        if (raw.charAt(start) == '"') {
            int end = raw.indexOf('"', start + 1);
            return end < 0 ? null : isoInstant(raw.substring(start + 1, end));
        }
        int end = start;
        while (end < raw.length() && (Character.isDigit(raw.charAt(end)) || raw.charAt(end) == '.')) {
            end++;
        }
        return end == start ? null : epoch(raw.substring(start, end));
    }

    private static Instant instant(JsonNode timestamp) {
        if (timestamp == null || timestamp.isNull()) {
            return null;
        }
        return timestamp.isTextual() ? isoInstant(timestamp.asText()) : epoch(timestamp.asText());
    }

    /** Epoch milliseconds ({@code 1795716466133}) or seconds with a fraction ({@code 1795716466.133}). */
    private static Instant epoch(String number) {
        try {
            if (number.indexOf('.') >= 0) {
                BigDecimal seconds = new BigDecimal(number);
                return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
            }
            return Instant.ofEpochMilli(Long.parseLong(number));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant isoInstant(String text) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String nginxLevel(String raw) {
        int open = raw.indexOf('[');
        int close = raw.indexOf(']', open + 1);
        if (open < 0 || close < 0 || open > 25) {
            return null;
        }
        return switch (raw.substring(open + 1, close)) {
            case "debug" -> "DEBUG";
            case "info", "notice" -> "INFO";
            case "warn" -> "WARN";
            case "error", "crit", "alert", "emerg" -> "ERROR";
            default -> null;
        };
    }
}
