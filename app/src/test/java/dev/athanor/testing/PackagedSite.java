package dev.athanor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar ({@code app/target/athanor.jar}, built by {@code package} before the integration tests) started
 * as {@code systemd/athanor@.service} starts it, with the unit's JVM flags (a test may change them, say for a smaller
 * heap), the repository's config.yml, free ports and a directory of its own. For tests of what the site does under
 * the server's memory limits, which the in-process site cannot show.
 */
public final class PackagedSite implements AutoCloseable {

    private final Process process;
    private final Path directory;
    private final int port;

    private PackagedSite(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts the site with {@code environment} (on top of the ports) and the unit's JVM flags as {@code flags}
     * changes them, and waits until {@code /health} answers 200.
     */
    public static PackagedSite start(String name, Map<String, String> environment, UnaryOperator<List<String>> flags)
            throws IOException {
        Path directory = TestPostgres.newDirectory(name);
        Files.copy(Path.of(System.getProperty("athanor.config")), directory.resolve("config.yml"));
        int port = TestPostgres.freePort();
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(flags.apply(unitJvmFlags()));
        command.addAll(List.of("-jar", System.getProperty("athanor.jar"), "server", "config.yml"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("output.log").toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("ATHANOR_") || key.startsWith("DATABASE_"));
        builder.environment().put("ATHANOR_PORT", Integer.toString(port));
        builder.environment().put("ATHANOR_ADMIN_PORT", Integer.toString(TestPostgres.freePort()));
        builder.environment().putAll(environment);
        PackagedSite site = new PackagedSite(builder.start(), directory, port);
        try {
            assertThat(Http.awaitStatus(site.base() + "/health", 200, Duration.ofSeconds(120)))
                    .as("the site starts; its output:%n%s", site.output()).isTrue();
        } catch (RuntimeException | Error e) {
            site.close();
            throw e;
        }
        return site;
    }

    /** The JVM options of the site's unit file, but for the out-of-memory note, which needs the installed paths. */
    public static List<String> unitJvmFlags() throws IOException {
        String unit = Files.readString(Path.of("..", "systemd", "athanor@.service"));
        Matcher execStart = Pattern.compile("(?m)^ExecStart=/usr/bin/java((?:.*\\\\\\n)*.*)$").matcher(unit);
        assertThat(execStart.find()).isTrue();
        String line = execStart.group(1).replace("\\\n", " ");
        List<String> flags = new ArrayList<>();
        Matcher word = Pattern.compile("\"[^\"]*\"|\\S+").matcher(line.substring(0, line.indexOf(" -jar ")));
        while (word.find()) {
            if (!word.group().startsWith("\"")) {
                flags.add(word.group());
            }
        }
        assertThat(flags).contains("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
        return flags;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The site's own directory (its working directory). */
    public Path directory() {
        return directory;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the JVM printed (its console log, and the OutOfMemoryError if it had one). */
    public String output() {
        try {
            Path log = directory.resolve("output.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the site (as systemd does, then by force) and waits for it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
