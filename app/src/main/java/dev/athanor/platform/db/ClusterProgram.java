package dev.athanor.platform.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of PostgreSQL's programs as the cluster's OS user and waits for it, its output kept for the error. */
final class ClusterProgram {

    private ClusterProgram() {
    }

    static void run(List<String> prefix, List<String> command, Duration timeout, String what)
            throws EmbeddedPostgresException {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedPostgresException(what + " did not finish within " + timeout.toSeconds() + "s");
            }
            if (process.exitValue() != 0) {
                throw new EmbeddedPostgresException(what + " failed (exit " + process.exitValue() + ")"
                        + (output.isEmpty() ? "" : ": " + output));
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("could not run " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException(what + " was interrupted", e);
        }
    }

    /** Waits a moment; an interrupt ends the wait early and is kept. */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
