package dev.athanor.ops.deploy;

import dev.athanor.monitoring.deploy.DeployFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The instances on a server: the units {@code athanor@a.service} and {@code athanor@b.service} of the template
 * {@code athanor@.service}, each told its release and ports by {@code DIR/instances/SLOT.env}. systemd starts, stops,
 * restarts and logs them; this asks it to.
 */
final class SystemdInstances implements Instances {

    private static final Duration AFTER_KILL = Duration.ofSeconds(10);

    private final DeployFactory deploy;
    private final Systemctl systemctl;

    SystemdInstances(DeployFactory deploy) {
        this(deploy, new Systemctl());
    }

    SystemdInstances(DeployFactory deploy, Systemctl systemctl) {
        this.deploy = deploy;
        this.systemctl = systemctl;
    }

    /** {@code athanor@SLOT.service}, for a slot deploy knows ({@code a} or {@code b}). */
    static String unit(String slot) {
        if (!slot.equals("a") && !slot.equals("b")) {
            throw new IllegalArgumentException("no slot " + slot + "; slots are a and b");
        }
        return "athanor@" + slot + ".service";
    }

    /**
     * Writes the slot's environment file, then starts its unit. A unit that already runs is refused rather than
     * started (which systemd would take as done, leaving it on its old release): stop it first.
     */
    @Override
    public void start(String slot, Release release) throws DeployException {
        String unit = unit(slot);
        if (running(slot)) {
            throw new DeployException(unit + " already runs: stop it before starting release " + release.name()
                    + " in slot " + slot + " (systemctl stop " + unit + ")", Systemctl.OS_ERROR);
        }
        InstanceEnvironment.of(deploy, slot, release).write(deploy.getDirectory());
        systemctl.tell("start", unit);
    }

    @Override
    public boolean running(String slot) {
        try {
            return systemctl.ask("is-active", "--quiet", unit(slot)).ok();
        } catch (DeployException e) {
            return false;
        }
    }

    /**
     * Why the unit is not running: failed, or waiting to be restarted after its process ended ({@code Restart=}), or
     * stopped; with how its process ended ({@code exited with status 1}, {@code killed by signal 9}).
     */
    @Override
    public Optional<String> failure(String slot) {
        Map<String, String> properties;
        try {
            properties = properties(systemctl.ask("show", "-p", "ActiveState", "-p", "SubState", "-p", "Result",
                    "-p", "ExecMainCode", "-p", "ExecMainStatus", unit(slot)).output());
        } catch (DeployException e) {
            return Optional.of(e.getMessage());
        }
        String active = properties.getOrDefault("ActiveState", "");
        String sub = properties.getOrDefault("SubState", "");
        if ((active.equals("active") || active.equals("activating") || active.equals("reloading"))
                && !sub.equals("auto-restart")) {
            return Optional.empty();
        }
        String how = switch (properties.getOrDefault("ExecMainCode", "0")) {
            case "1" -> "exited with status " + properties.getOrDefault("ExecMainStatus", "?");
            case "2", "3" -> "killed by signal " + properties.getOrDefault("ExecMainStatus", "?");
            default -> "did not start";
        };
        String state = sub.equals("auto-restart") ? "waiting to be restarted" : active.isEmpty() ? "unknown" : active;
        String result = properties.getOrDefault("Result", "success");
        return Optional.of(unit(slot) + " " + how + " (" + state + (result.equals("success") ? "" : ", " + result)
                + ")");
    }

    /**
     * {@code systemctl stop}, which sends SIGTERM and returns once the instance has drained and ended; after
     * {@code timeout} it is killed ({@code systemctl kill --signal=SIGKILL}), not left to the unit's own longer
     * TimeoutStopSec.
     */
    @Override
    public void stop(String slot, Duration timeout) throws DeployException {
        String unit = unit(slot);
        Process stop = systemctl.start("stop", unit);
        try {
            if (!stop.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                systemctl.ask("kill", "--signal=SIGKILL", unit);
            }
            Systemctl.Answer answer = systemctl.await(stop, AFTER_KILL, "stop", unit);
            if (!answer.ok()) {
                throw new DeployException("systemctl stop " + unit + " failed (exit " + answer.exitCode() + "): "
                        + answer.output().strip(), Systemctl.OS_ERROR);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while " + unit + " stopped", Systemctl.OS_ERROR, e);
        } finally {
            stop.destroyForcibly();
        }
    }

    @Override
    public List<String> lastLogLines(String slot, int count) {
        return systemctl.journal(unit(slot), count);
    }

    /** Enables the live slot's unit, so that it starts at boot, and disables the other's. */
    @Override
    public void persist(String liveSlot) throws DeployException {
        systemctl.tell("enable", unit(liveSlot));
        systemctl.tell("disable", unit(liveSlot.equals("a") ? "b" : "a"));
    }

    private static Map<String, String> properties(String output) {
        Map<String, String> properties = new HashMap<>();
        output.lines().filter(line -> line.contains("=")).forEach(line -> properties.put(
                line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1).strip()));
        return properties;
    }
}
