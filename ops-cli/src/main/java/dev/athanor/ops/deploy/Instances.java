package dev.athanor.ops.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The site's instances, one per slot ({@code a}, {@code b}): each runs one release on its slot's ports. systemd runs
 * them on a server (SystemdInstances); detached processes with pid files anywhere else (LocalInstances).
 */
interface Instances {

    /** Starts the release's site in the slot, on the slot's ports, and returns without waiting for it. */
    void start(String slot, Release release) throws DeployException;

    /** Whether an instance runs in the slot now. */
    boolean running(String slot);

    /** Why the slot's instance is no longer running after a start ({@code exited with status 1}), if it is not. */
    Optional<String> failure(String slot);

    /** Stops the slot's instance: SIGTERM, then waits while it drains, killing it after {@code timeout}. */
    void stop(String slot, Duration timeout) throws DeployException;

    /** The last lines of the slot's log, for saying why a start failed. */
    List<String> lastLogLines(String slot, int count);

    /** Makes the slot the one that starts at boot, and the other not (systemd); nothing for local processes. */
    void persist(String liveSlot) throws DeployException;
}
