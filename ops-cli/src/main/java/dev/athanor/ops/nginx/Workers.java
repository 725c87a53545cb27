package dev.athanor.ops.nginx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An nginx master's worker processes, to tell when a reload has taken effect. {@code nginx -s reload} (and so
 * {@code systemctl reload nginx}) only signals the master, which then starts new workers with the new configuration,
 * waits about 100 ms, and tells the old ones to stop accepting and finish what they hold ("worker process is shutting
 * down"). So a reload has taken effect once a worker that was not there before runs and none of the old ones still
 * accepts: from then on every new request is served by the new configuration.
 */
final class Workers {

    private Workers() {
    }

    /** The pids of the master's children now. */
    static Set<Long> of(long master) {
        return ProcessHandle.of(master).map(process -> process.children().map(ProcessHandle::pid)
                .collect(Collectors.toSet())).orElse(Set.of());
    }

    /** The nginx master a pid file names, if it runs. */
    static Optional<Long> master(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return commandLine(pid).filter(line -> line.startsWith("nginx: master process")).map(line -> pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Waits until the master runs new workers and none of {@code before} still accepts. */
    static void awaitNewGeneration(long master, Set<Long> before, Duration timeout) throws NginxException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<Long> now = of(master);
            boolean fresh = now.stream().anyMatch(pid -> !before.contains(pid));
            boolean oldStopped = before.stream().allMatch(pid -> commandLine(pid)
                    .map(line -> line.contains("shutting down") || !line.startsWith("nginx: worker"))
                    .orElse(true));
            if (fresh && oldStopped) {
                return;
            }
            if (ProcessHandle.of(master).map(process -> !process.isAlive()).orElse(true)) {
                throw new NginxException("nginx (pid " + master + ") exited during the reload; see its error log");
            }
            if (System.nanoTime() > deadline) {
                throw new NginxException("nginx was asked to reload but its new workers did not take over within "
                        + timeout.toSeconds() + " s; see its error log");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NginxException("interrupted while waiting for nginx's reload", e);
            }
        }
    }

    /** A process's command line as it shows it ({@code nginx: worker process}), if it runs. */
    static Optional<String> commandLine(long pid) {
        try {
            return Optional.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ').strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
