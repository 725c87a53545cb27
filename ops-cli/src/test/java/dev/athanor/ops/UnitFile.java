package dev.athanor.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A unit file of systemd/, read as systemd reads the parts the tests check: {@code ExecStart=} as the arguments the
 * program gets, and the hardening block.
 */
final class UnitFile {

    /** systemd/ of this checkout, seen from a module's directory (where Maven runs the tests). */
    static final Path DIRECTORY = Path.of("..", "systemd");

    private final Path file;
    private final List<String> lines;

    private UnitFile(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    static UnitFile read(String name) throws IOException {
        Path file = DIRECTORY.resolve(name);
        return new UnitFile(file, Files.readAllLines(file));
    }

    Path file() {
        return file;
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }

    /**
     * The arguments of {@code ExecStart=}, program first, as systemd passes them: a line ending in a backslash goes
     * on on the next, words are split at whitespace unless quoted whole, and {@code %%} is a literal {@code %}.
     * Whatever else systemd would change (other specifiers, variables, escapes, quotes inside a word) is refused, so
     * that what a test runs is exactly what systemd would.
     */
    List<String> execStart() {
        StringBuilder command = null;
        for (String line : lines) {
            if (command == null && !line.startsWith("ExecStart=")) {
                continue;
            }
            String part = command == null ? line.substring("ExecStart=".length()) : line;
            if (command == null) {
                command = new StringBuilder();
            }
            if (!part.endsWith("\\")) {
                return words(command.append(part).toString());
            }
            command.append(part, 0, part.length() - 1).append(' ');
        }
        throw new IllegalStateException(file + ": no ExecStart= or it ends in a backslash");
    }

    /** The lines from the comment starting {@code # Hardening} up to the next blank line. */
    List<String> hardeningBlock() {
        return lines.stream().dropWhile(line -> !line.startsWith("# Hardening")).takeWhile(line -> !line.isBlank())
                .toList();
    }

    /** The settings ({@code Key=value} lines) of the hardening block. */
    List<String> hardeningDirectives() {
        return hardeningBlock().stream().filter(line -> !line.startsWith("#")).toList();
    }

    private List<String> words(String command) {
        List<String> words = new ArrayList<>();
        int at = 0;
        while (at < command.length()) {
            char first = command.charAt(at);
            if (Character.isWhitespace(first)) {
                at++;
                continue;
            }
            int end;
            String word;
            if (first == '"' || first == '\'') {
                end = command.indexOf(first, at + 1);
                refuseIf(end < 0, "an unclosed quote", command.substring(at));
                word = command.substring(at + 1, end);
                end++;
                refuseIf(end < command.length() && !Character.isWhitespace(command.charAt(end)),
                        "a quote closed inside a word", command.substring(at));
            } else {
                end = at;
                while (end < command.length() && !Character.isWhitespace(command.charAt(end))) {
                    end++;
                }
                word = command.substring(at, end);
                refuseIf(word.contains("\"") || word.contains("'"), "a quote inside a word", word);
            }
            refuseIf(word.contains("\\") || word.contains("$"), "an escape or a variable", word);
            words.add(percentSigns(word));
            at = end;
        }
        return words;
    }

    private String percentSigns(String word) {
        StringBuilder literal = new StringBuilder();
        for (int at = 0; at < word.length(); at++) {
            char next = word.charAt(at);
            if (next == '%') {
                refuseIf(at + 1 == word.length() || word.charAt(at + 1) != '%', "a specifier (write %% for %)",
                        word);
                at++;
            }
            literal.append(next);
        }
        return literal.toString();
    }

    private void refuseIf(boolean refused, String what, String where) {
        if (refused) {
            throw new IllegalStateException(file + ": ExecStart= has " + what + " that this reader does not follow: "
                    + where);
        }
    }
}
