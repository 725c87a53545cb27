package dev.athanor.ops.deploy;

import dev.athanor.ops.Ops;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code ops} as its own process, as an operator runs it, so that a test can kill it with -9 at a chosen step. */
final class OpsChild {

    private final Process process;
    private final Path output;

    private OpsChild(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static OpsChild start(Path output, Map<String, String> environment, String... arguments) throws IOException {
        return start(output, environment, null, arguments);
    }

    /** As {@link #start(Path, Map, String...)}, with {@code input} (when not null) as its standard input. */
    static OpsChild start(Path output, Map<String, String> environment, Path input, String... arguments)
            throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx192m", "-XX:+UseSerialGC", "-Dlogback.configurationFile=logback.xml", "-cp",
                classpath, Ops.class.getName()));
        command.addAll(List.of(arguments));
        Files.deleteIfExists(output);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(environment);
        if (input != null) {
            builder.redirectInput(input.toFile());
        }
        return new OpsChild(builder.start(), output);
    }

    /** Runs {@code ops} to its end and returns its exit status; its output is in {@link #output()}. */
    int await(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("ops did not finish in " + deadline + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Waits for {@code text} in the output, then kills ops with SIGKILL at once. */
    void killAt(String text, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("ops never printed \"" + text + "\":\n" + output());
            }
            Thread.sleep(20);
        }
        process.destroyForcibly().waitFor();
    }

    /** Kills ops with SIGKILL once {@code file} exists. */
    void killWhen(Path file, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!Files.exists(file)) {
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("ops never reached the point of " + file + ":\n" + output());
            }
            Thread.sleep(20);
        }
        process.destroyForcibly().waitFor();
    }

    String output() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + output + ")";
        }
    }
}
