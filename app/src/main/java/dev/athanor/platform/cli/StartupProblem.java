package dev.athanor.platform.cli;

import dev.athanor.platform.db.DatabaseConnectionException;
import io.dropwizard.configuration.ConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * One line for the operator when a command cannot run: which configuration key is wrong and why, or what failed at
 * start-up. Stack traces belong in the log, not on the terminal.
 */
public final class StartupProblem {

    private StartupProblem() {
    }

    /**
     * Describes {@code error} in one line, naming {@code configFile} for configuration errors.
     *
     * @param configFile the configuration file the command was given, or null
     */
    public static String describe(Throwable error, String configFile) {
        String file = configFile == null ? "configuration" : configFile;
        if (error instanceof ConfigurationException configuration) {
            List<String> problems = new ArrayList<>();
            for (String problem : configuration.getErrors()) {
                problems.add(oneLine(problem));
            }
            return file + ": " + String.join("; ", problems);
        }
        Throwable root = error;
        StringBuilder message = new StringBuilder(String.valueOf(messageOf(error)));
        // a database connection failure already says why in words; the driver's exceptions under it are for the log
        while (!(root instanceof DatabaseConnectionException) && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            String cause = messageOf(root);
            if (!message.toString().contains(cause)) {
                message.append(": ").append(cause);
            }
        }
        return "could not start: " + oneLine(message.toString());
    }

    private static String messageOf(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    /** Folds Dropwizard's multi-line messages ("Did you mean?:" lists) into one line. */
    private static String oneLine(String text) {
        String[] lines = text.strip().split("\\R");
        // Dropwizard writes list positions as "connectors.[0].port"; people write "connectors[0].port".
        StringBuilder line = new StringBuilder(lines[0].strip().replace(".[", "["));
        List<String> suggestions = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String next = lines[i].strip();
            if (next.startsWith("- ")) {
                suggestions.add(next.substring(2));
            } else if (!next.isEmpty() && !next.startsWith("Did you mean")) {
                line.append(' ').append(next);
            }
        }
        if (!suggestions.isEmpty()) {
            line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
        }
        return line.toString();
    }
}
