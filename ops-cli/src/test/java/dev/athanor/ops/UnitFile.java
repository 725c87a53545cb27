package dev.athanor.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unit file of systemd/, read as systemd reads the parts the tests check: {@code ExecStart=} as the arguments the
 * program gets, and the hardening block.
 */
final class UnitFile {

    /** systemd/ of this checkout, seen from a module's directory (where Maven runs the tests). */
    static final Path DIRECTORY = Path.of("..", "systemd");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

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
     * that what a test runs is exactly what systemd would; so is a {@code ${NAME}} (see the method below).
     */
    List<String> execStart() {
        return execStart(Map.of());
    }

    /**
     * The arguments of {@code ExecStart=} as {@link #execStart()} reads them, with each {@code ${NAME}} replaced by
     * {@code environment}'s value as systemd replaces it: inside a word or as a word of its own, the value becomes
     * part of that one argument (never split). A variable not in {@code environment} is refused.
     */
    List<String> execStart(Map<String, String> environment) {
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
                return words(command.append(part).toString(), environment);
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

    private List<String> words(String command, Map<String, String> environment) {
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
            String literal = percentSigns(word);
            refuseIf(literal.contains("\\") || VARIABLE.matcher(literal).replaceAll("").contains("$"),
                    "an escape or a variable other than ${NAME}", word);
            words.add(variables(literal, environment));
            at = end;
        }
        return words;
    }

    private String variables(String word, Map<String, String> environment) {
        StringBuilder replaced = new StringBuilder();
        Matcher variable = VARIABLE.matcher(word);
        while (variable.find()) {
            refuseIf(!environment.containsKey(variable.group(1)), "a variable the test did not give", word);
            variable.appendReplacement(replaced, Matcher.quoteReplacement(environment.get(variable.group(1))));
        }
        variable.appendTail(replaced);
        return replaced.toString();
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
