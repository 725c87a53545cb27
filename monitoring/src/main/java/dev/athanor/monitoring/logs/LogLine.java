package dev.athanor.monitoring.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One line of a log as read: the raw text, and what the filters and the readable view need from it.
 *
 * @param raw the line exactly as in the file, without its line break
 * @param time when it was written; null when the line carries no time (a stray line in a file)
 * @param level TRACE, DEBUG, INFO, WARN or ERROR; for request lines derived from the status (5xx ERROR, 4xx WARN,
 *     else INFO); null when unknown
 * @param status the HTTP status of a request line, 0 for other lines
 * @param path the request path (with its query, as logged) of a request line, null for other lines
 * @param fields the parsed JSON object of a JSON line, null for plain text lines
 */
public record LogLine(String raw, Instant time, String level, int status, String path, JsonNode fields) {

    /** A field of a JSON line as text, or empty. */
    public String field(String name) {
        if (fields == null) {
            return "";
        }
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
