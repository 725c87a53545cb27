package dev.athanor.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running pg_dump or pg_restore: its data stream is the caller's, its error stream is collected on a thread of its
 * own (so it can never fill up and block the program), and {@link #finish()} says whether it succeeded. An error
 * line ({@code pg_dump: error: ...}) fails the run even when the exit code is 0.
 */
final class PostgresProgram implements AutoCloseable {

    private static final int KEPT_LINES = 50;

    private final String name;
    private final Process process;
    private final List<String> errorLines = Collections.synchronizedList(new ArrayList<>());
    private final Thread errorReader;

    private PostgresProgram(String name, Process process) {
        this.name = name;
        this.process = process;
        this.errorReader = new Thread(this::readErrors, name + "-stderr");
        this.errorReader.setDaemon(true);
        this.errorReader.start();
    }

    static PostgresProgram start(List<String> command, PostgresTarget target) throws DumpFailedException {
        String name = java.nio.file.Path.of(command.get(0)).getFileName().toString();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PG"));
        builder.environment().putAll(target.environment("athanor-" + name));
        try {
            return new PostgresProgram(name, builder.start());
        } catch (IOException e) {
            throw new DumpFailedException("could not start " + command.get(0) + ": " + e.getMessage());
        }
    }

    InputStream stdout() {
        return process.getInputStream();
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits for the program to exit and returns its warnings.
     *
     * @throws DumpFailedException when it exited non-zero or wrote an error
     */
    List<String> finish() throws DumpFailedException, InterruptedException {
        int exit = process.waitFor();
        errorReader.join(TimeUnit.SECONDS.toMillis(10));
        List<String> lines;
        synchronized (errorLines) {
            lines = List.copyOf(errorLines);
        }
        List<String> errors = lines.stream().filter(PostgresProgram::isError).toList();
        if (exit != 0 || !errors.isEmpty()) {
            List<String> shown = errors.isEmpty() ? lines : errors;
            throw new DumpFailedException(name + " failed (exit " + exit + ")"
                    + (shown.isEmpty() ? "" : ": " + String.join(" | ", shown.subList(0, Math.min(5, shown.size())))));
        }
        return lines;
    }

    /** Whether the program has ended by itself. */
    boolean exited() {
        return !process.isAlive();
    }

    /** Stops the program at once; safe to call when it has ended. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void readErrors() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (errorLines.size() < KEPT_LINES) {
                    errorLines.add(line.strip());
                }
            }
        } catch (IOException e) {
            // The program ended; what it said so far is kept.
        }
    }

    private static boolean isError(String line) {
        return line.contains("error:") || line.contains("FATAL:") || line.startsWith("ERROR:");
    }
}
