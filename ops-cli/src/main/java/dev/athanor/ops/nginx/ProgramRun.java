package dev.athanor.ops.nginx;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** One run of a program (nginx, systemctl) bounded in time: its exit code and what it printed, both streams. */
record ProgramRun(int exitCode, String output) {

    static ProgramRun of(List<String> command, Duration timeout) throws NginxException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new NginxException("could not run " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            // nginx -s reload and a daemonising start return at once; a slow command is cut off after timeout
            java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> read(process));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new NginxException(String.join(" ", command) + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            return new ProgramRun(process.exitValue(), output.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new NginxException("interrupted while running " + command.get(0), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new ProgramRun(process.exitValue(), "");
        }
    }

    boolean succeeded() {
        return exitCode == 0;
    }

    /** nginx's own error lines ({@code [emerg] ...}), one line, or the last line printed when there is none. */
    String errorLines() {
        List<String> lines = output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        String errors = lines.stream().filter(line -> line.matches(".*\\[(emerg|alert|crit|error)\\].*"))
                .map(line -> line.replaceFirst("^nginx: ", "")).collect(Collectors.joining("; "));
        if (!errors.isEmpty()) {
            return errors;
        }
        return lines.isEmpty() ? "exit status " + exitCode : lines.get(lines.size() - 1);
    }

    private static String read(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
