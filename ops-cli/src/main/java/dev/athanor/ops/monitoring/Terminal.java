package dev.athanor.ops.monitoring;

/**
 * Colour for people, plain text for everything else: ANSI colours only when standard output is a terminal and
 * {@code NO_COLOR} is unset (https://no-color.org), so pipes, files, cron mail and tests get plain text.
 */
final class Terminal {

    static final String RED = "31";
    static final String YELLOW = "33";
    static final String GREEN = "32";
    static final String DIM = "2";
    static final String BOLD = "1";

    private final boolean colour;

    private Terminal(boolean colour) {
        this.colour = colour;
    }

    /** The terminal {@code ops} writes to now. */
    static Terminal detect() {
        String noColor = System.getenv("NO_COLOR");
        return new Terminal(System.console() != null && (noColor == null || noColor.isEmpty()));
    }

    static Terminal plain() {
        return new Terminal(false);
    }

    /** {@code text} in colour {@code code} (one of the constants), or as it is. */
    String paint(String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }

    /** Red for errors and down, yellow for warnings and degraded, as it is otherwise. */
    String bySeverity(String severity, String text) {
        return switch (severity) {
            case "ERROR", "DOWN", "FAIL", "CRITICAL" -> paint(RED, text);
            case "WARN", "DEGRADED", "WARNING" -> paint(YELLOW, text);
            case "OK", "UP" -> paint(GREEN, text);
            default -> text;
        };
    }
}
