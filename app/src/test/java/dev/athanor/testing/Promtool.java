package dev.athanor.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prometheus's own {@code promtool}, to check the site's metrics text as Prometheus reads it. It is found on the
 * {@code PATH}, or where {@code ./dev test} extracts it from Debian's {@code prometheus} package (without installing
 * the package, which would start a Prometheus server): {@code $XDG_CACHE_HOME/athanor/bin} or
 * {@code ~/.cache/athanor/bin}.
 */
public final class Promtool {

    private final Path binary;

    private Promtool(Path binary) {
        this.binary = binary;
    }

    /** The promtool found, or an {@link IllegalStateException} that says how to provide it. */
    public static Promtool find() {
        String cache = Optional.ofNullable(System.getenv("XDG_CACHE_HOME"))
                .orElse(System.getProperty("user.home") + "/.cache");
        Stream<Path> onPath = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(":"))
                .filter(directory -> !directory.isEmpty()).map(Path::of);
        return Stream.concat(onPath, Stream.of(Path.of(cache, "athanor", "bin")))
                .map(directory -> directory.resolve("promtool")).filter(Files::isExecutable).findFirst()
                .map(Promtool::new)
                .orElseThrow(() -> new IllegalStateException("promtool is neither on the PATH nor in " + cache
                        + "/athanor/bin: run ./dev test once (it extracts promtool from Debian's prometheus package),"
                        + " or put promtool on the PATH"));
    }

    /**
     * {@code promtool check metrics} on {@code exposition} (Prometheus's text format): what it reports, one problem a
     * line, or the empty string when it finds none.
     */
    public String checkMetrics(String exposition) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool check metrics did not finish within 30 s");
        }
        if (process.exitValue() != 0 && report.isBlank()) {
            return "promtool exited with " + process.exitValue() + " and said nothing";
        }
        return report.strip();
    }
}
