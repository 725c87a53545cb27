package dev.athanor.ops.deploy;

import dev.athanor.monitoring.deploy.DeployFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Instances as detached processes, for a laptop, the drills and the tests: the release's site run with its unit's JVM
 * flags (read from {@code systemd/athanor@.service}, so both modes run the same JVM), in a session of its own so that
 * it outlives {@code ops}, its output in {@code DIR/instances/SLOT.log} and its pid in {@code DIR/instances/SLOT.pid}.
 */
final class LocalInstances implements Instances {

    private final DeployFactory settings;
    private final Path state;
    private final Path configFile;
    private final Map<String, Process> started = new HashMap<>();

    LocalInstances(DeployFactory settings, Path installDirectory, Path configFile) {
        this.settings = settings;
        this.state = installDirectory.resolve("instances");
        this.configFile = configFile.toAbsolutePath().normalize();
    }

    @Override
    public void start(String slot, Release release) throws DeployException {
        DeployFactory.Slot ports = settings.slot(slot);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // its own session: a Ctrl-C or hang-up of ops does not reach it
        }
        // The child writes its own pid file before it becomes the JVM, so that a deploy killed just after starting it
        // still leaves the pid by which the next deploy finds and stops it (ops writing the file after start()
        // returned left a window in which an instance could outlive ops unrecorded, holding the slot's ports).
        Path pidFile = state.resolve(slot + ".pid");
        command.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", pidFile.toString()));
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(UnitFlags.javaFlags(release.unitFile()));
        command.addAll(List.of("-jar", release.siteJar().toString(), "server", configFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("ATHANOR_PORT", Integer.toString(ports.getPort()));
        builder.environment().put("ATHANOR_ADMIN_PORT", Integer.toString(ports.getAdminPort()));
        builder.environment().put("ATHANOR_RELEASE", release.directory().toString());
        try {
            Files.createDirectories(state);
            Files.deleteIfExists(pidFile);
            Path log = state.resolve(slot + ".log");
            Files.writeString(log, ""); // this start's lines only, so a failure shows its own
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process process = builder.start();
            started.put(slot, process);
            awaitPidFile(pidFile, process);
        } catch (IOException e) {
            throw new DeployException("cannot start " + release.name() + " in slot " + slot + ": " + e.getMessage(),
                    71, e);
        }
    }

    /** Waits until the child has written its pid (a few milliseconds); writes it itself if the child could not. */
    private static void awaitPidFile(Path pidFile, Process process) throws IOException {
        String expected = Long.toString(process.pid());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.isRegularFile(pidFile) && Files.readString(pidFile).strip().equals(expected)) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Files.writeString(pidFile, expected + "\n", StandardCharsets.UTF_8);
    }

    @Override
    public boolean running(String slot) {
        return handle(slot).isPresent();
    }

    @Override
    public Optional<String> failure(String slot) {
        Process process = started.get(slot);
        if (process != null && !process.isAlive()) {
            return Optional.of("exited with status " + process.exitValue());
        }
        return process == null && !running(slot) ? Optional.of("is not running") : Optional.empty();
    }

    @Override
    public void stop(String slot, Duration timeout) throws DeployException {
        Optional<ProcessHandle> handle = handle(slot);
        if (handle.isPresent()) {
            handle.get().destroy();
            try {
                handle.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                handle.get().destroyForcibly();
                await(handle.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("interrupted while stopping slot " + slot, 70, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            Files.deleteIfExists(state.resolve(slot + ".pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(ProcessHandle handle) throws DeployException {
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new DeployException("process " + handle.pid() + " did not end after SIGKILL", 71, e);
        }
    }

    @Override
    public List<String> lastLogLines(String slot, int count) {
        Path log = state.resolve(slot + ".log");
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    @Override
    public void persist(String liveSlot) {
        // nothing starts local instances at boot
    }

    /** The slot's process, if its pid file names a running site (a reused pid running something else does not count). */
    private Optional<ProcessHandle> handle(String slot) {
        Path pidFile = state.resolve(slot + ".pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(process -> process.info().commandLine().map(line -> line.contains("athanor.jar"))
                            .orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
