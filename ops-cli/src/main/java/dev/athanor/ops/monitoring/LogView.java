package dev.athanor.ops.monitoring;

import dev.athanor.monitoring.logs.LogLine;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Log lines written for people: time, level or status, and the gist, coloured by severity on a terminal. */
final class LogView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS",
            Locale.ROOT);

    private final Terminal terminal;
    private final DateTimeFormatter time;

    LogView(Terminal terminal, ZoneId zone) {
        this.terminal = terminal;
        this.time = TIME.withZone(zone);
    }

    String format(LogLine line) {
        if (line.fields() == null) {
            return line.level() == null ? line.raw() : terminal.bySeverity(line.level(), line.raw());
        }
        String when = line.time() == null ? "-" : time.format(line.time());
        if (line.status() > 0) {
            String status = terminal.bySeverity(line.level(), Integer.toString(line.status()));
            String took = !line.field("requestTime").isEmpty() ? line.field("requestTime") + " ms"
                    : !line.field("requestSeconds").isEmpty() ? line.field("requestSeconds") + " s" : "";
            String bytes = !line.field("contentLength").isEmpty() ? line.field("contentLength")
                    : line.field("bytesSent");
            return String.join(" ", when, status, line.field("method"), line.path(), bytes + " B", took,
                    terminal.paint(Terminal.DIM, line.field("remoteAddress"))).stripTrailing();
        }
        String level = line.level() == null ? "-" : line.level();
        StringBuilder text = new StringBuilder(when).append(' ')
                .append(terminal.bySeverity(level, String.format(Locale.ROOT, "%-5s", level))).append(' ')
                .append(terminal.paint(Terminal.DIM, shortLogger(line.field("logger")))).append(": ")
                .append(line.field("message"));
        String exception = line.field("exception");
        if (!exception.isEmpty()) {
            exception.lines().limit(12).forEach(stack -> text.append("\n    ").append(stack.strip()));
        }
        return text.toString();
    }

    /** {@code dev.athanor.platform.db.Database} as {@code d.a.p.db.Database}: the class name whole. */
    private static String shortLogger(String logger) {
        String[] parts = logger.split("\\.");
        StringBuilder shortened = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            shortened.append(parts[i], 0, Math.min(1, parts[i].length())).append('.');
        }
        return shortened.append(parts[parts.length - 1]).toString();
    }
}
