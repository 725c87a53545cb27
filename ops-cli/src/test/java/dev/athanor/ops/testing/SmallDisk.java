package dev.athanor.ops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A full disk for the drills: a 2 MB tmpfs mounted on a directory (root, or CAP_SYS_ADMIN; elsewhere the test is
 * skipped and says why), unmounted by {@link #close()}.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path directory;

    private SmallDisk(Path directory) {
        this.directory = directory;
    }

    /** Mounts a 2 MB tmpfs on {@code directory}, or skips the test, naming {@code what} needs it. */
    public static SmallDisk mount(Path directory, String what) throws IOException, InterruptedException {
        String refusal = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", directory.toString());
        Assumptions.assumeTrue(refusal.isEmpty(), () -> "skipped: " + what + " mounts a 2 MB tmpfs, and mount was"
                + " refused here (it needs root or CAP_SYS_ADMIN): " + refusal);
        return new SmallDisk(directory);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", directory.toString());
    }

    /** Runs a command; empty when it exited 0, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not end within 30 s";
        }
        return process.exitValue() == 0 ? "" : String.join(" ", command) + " exited " + process.exitValue() + ": "
                + (output.isEmpty() ? "(no output)" : output);
    }
}
