package dev.athanor.ops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ```sh} blocks of one section of a page under {@code docs/}, to be run as a reader pastes them: the first
 * block sets the variables (a test writes its own in its place), the others use only those.
 */
public final class DocumentedSteps {

    private static final Pattern ASSIGNED = Pattern.compile("(?:^|[\\s;])([A-Z][A-Z0-9_]*)=");
    private static final Pattern USED = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)");

    private final List<String> blocks;

    private DocumentedSteps(List<String> blocks) {
        this.blocks = blocks;
    }

    /** The shell blocks under {@code heading} (a whole line, such as {@code ## Restore}) of {@code docs/PAGE}. */
    public static DocumentedSteps of(String page, String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", page), StandardCharsets.UTF_8);
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new IllegalArgumentException("docs/" + page + " has no heading \"" + heading + "\"");
        }
        int level = heading.indexOf(' ');
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (block == null && line.matches("#{1," + level + "} .*")) {
                break; // the next heading of the same level or higher (a shell comment is inside a block)
            }
            if (block == null && line.equals("```sh")) {
                block = new StringBuilder();
            } else if (block != null && line.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("\"" + heading + "\" in docs/" + page + " has no ```sh block");
        }
        return new DocumentedSteps(blocks);
    }

    /** Every block, the variables' first. */
    public List<String> blocks() {
        return blocks;
    }

    /** The blocks after the first that use {@code word} (a command's name, say) or not. */
    public List<String> stepsWith(String word, boolean with) {
        return blocks.subList(1, blocks.size()).stream().filter(block -> block.contains(word) == with).toList();
    }

    /** The upper-case variables a block assigns ({@code NAME=}, {@code export NAME=}). */
    public static Set<String> assigned(String block) {
        return names(ASSIGNED, withoutComments(block));
    }

    /** The upper-case variables a block expands ({@code $NAME}, {@code ${NAME...}}). */
    public static Set<String> used(String block) {
        return names(USED, withoutComments(block));
    }

    /**
     * Runs {@code variables} and then {@code steps} in one bash ({@code set -euo pipefail}) in {@code directory},
     * stopping at the first step that fails as its reader would see it: a command failing, or the step's last
     * command ({@code a && b}) ending non-zero.
     */
    public static Run run(String variables, List<String> steps, Path directory, Map<String, String> environment,
            Duration timeout) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("set -euo pipefail\n").append(variables).append('\n');
        for (int i = 0; i < steps.size(); i++) {
            script.append("echo '--- step ").append(i + 1).append("' >&2\n").append(steps.get(i))
                    .append("\nstatus=$?; if [ $status -ne 0 ]; then echo \"step ").append(i + 1)
                    .append(" ended with $status\" >&2; exit $status; fi\n");
        }
        Path file = directory.resolve("steps.sh");
        Path output = directory.resolve("steps.out");
        Files.writeString(file, script);
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", file.toString()).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("PG")
                || name.startsWith("S3"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the documented steps did not finish within " + timeout + ":\n"
                        + Files.readString(output));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** How a run ended and what it printed on both streams. */
    public record Run(int exitCode, String output) {
    }

    private static Set<String> names(Pattern pattern, String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String withoutComments(String block) {
        return block.replaceAll("(?m)(^|\\s)#.*$", "");
    }
}
