package dev.athanor.ops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class of this build run as a separate process (a second scheduler node, {@code ops scheduler} itself),
 * with its output in a file; always ended by the test, by its handle.
 */
public final class JavaProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private JavaProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static JavaProcess start(Path output, Class<?> main, String... arguments) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // ops's own logging (its logback.xml, OPS_LOG_LEVEL), not the logback-test.xml that the other modules'
        // test jars bring onto this classpath, which logback would take first
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx160m", "-XX:+UseSerialGC", "-Dlogback.configurationFile=logback.xml", "-cp",
                classpath, main.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().put("OPS_LOG_LEVEL", "INFO");
        return new JavaProcess(builder.start(), output);
    }

    /** Waits until the output holds {@code text}; false when the process ended or the deadline passed first. */
    public boolean awaitOutput(String text, Duration deadline) throws IOException, InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return output().contains(text);
            }
            Thread.sleep(100);
        }
        return false;
    }

    public String output() throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Asks a {@link ClusterNode} to stop (a line on its input) and waits for it. */
    public int stopNode(Duration deadline) throws IOException, InterruptedException {
        process.getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        return await(deadline);
    }

    /** Sends SIGTERM, as systemd does, and waits for the process to end. */
    public int terminate(Duration deadline) throws InterruptedException {
        process.destroy();
        return await(deadline);
    }

    /** Kills the process as {@code kill -9} does (SIGKILL: no shutdown hook, no cleanup) and waits for it to end. */
    public int kill(Duration deadline) throws InterruptedException {
        process.destroyForcibly();
        return await(deadline);
    }

    public long pid() {
        return process.pid();
    }

    private int await(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the process did not end within " + deadline);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
