package dev.athanor.ops.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * systemd's two programs as ops deploy runs them: {@code systemctl} for the units, {@code journalctl} for their logs.
 * Found on PATH by name; a test names stand-ins instead.
 */
final class Systemctl {

    /** sysexits(3): systemd is not there to ask. */
    static final int UNAVAILABLE = 69;
    /** sysexits(3): systemctl was asked and said no. */
    static final int OS_ERROR = 71;

    private static final Duration ANSWER_TIME = Duration.ofSeconds(60);

    /** What a program said: its exit code and its output (standard output and error, in order). */
    record Answer(int exitCode, String output) {

        boolean ok() {
            return exitCode == 0;
        }
    }

    private final String systemctl;
    private final String journalctl;

    Systemctl() {
        this("systemctl", "journalctl");
    }

    Systemctl(String systemctl, String journalctl) {
        this.systemctl = systemctl;
        this.journalctl = journalctl;
    }

    /** Runs {@code systemctl ARGUMENTS} and waits up to a minute for its answer, whatever its exit code. */
    Answer ask(String... arguments) throws DeployException {
        Process process = start(arguments);
        try {
            return await(process, ANSWER_TIME, arguments);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs {@code systemctl ARGUMENTS} and fails, with what it said, unless it exits 0. */
    Answer tell(String... arguments) throws DeployException {
        Answer answer = ask(arguments);
        if (!answer.ok()) {
            throw new DeployException("systemctl " + String.join(" ", arguments) + " failed (exit " + answer.exitCode()
                    + "): " + answer.output().strip(), OS_ERROR);
        }
        return answer;
    }

    /** Starts {@code systemctl ARGUMENTS} without waiting for it: for a stop that may take the whole drain. */
    Process start(String... arguments) throws DeployException {
        List<String> command = new ArrayList<>(List.of(systemctl));
        command.addAll(List.of(arguments));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DeployException("cannot run " + systemctl + " (" + e.getMessage() + "): deploy.mode systemd"
                    + " needs systemd; on a machine without it set deploy.mode to local", UNAVAILABLE, e);
        }
    }

    /** Waits for a started systemctl; its answer, or a failure when it has not answered in {@code time}. */
    Answer await(Process process, Duration time, String... arguments) throws DeployException {
        CompletableFuture<String> output = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                output.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.complete("");
            }
        }, "systemctl output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(time.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new DeployException("systemctl " + String.join(" ", arguments) + " did not answer within "
                        + time.toSeconds() + " s", OS_ERROR);
            }
            // a program it started may hold the output open after it exits: its answer is waited for 5 s at most
            return new Answer(process.exitValue(), output.completeOnTimeout("", 5, TimeUnit.SECONDS).join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while systemctl " + String.join(" ", arguments) + " ran", OS_ERROR,
                    e);
        }
    }

    /** The unit's last {@code count} journal lines, messages only; empty when journalctl cannot be run. */
    List<String> journal(String unit, int count) {
        try {
            Process process = new ProcessBuilder(journalctl, "-u", unit, "-n", Integer.toString(count), "--no-pager",
                    "-o", "cat").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                process.waitFor(10, TimeUnit.SECONDS);
                return output.lines().toList();
            } finally {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
