package dev.athanor.ops.deploy;

import dev.athanor.monitoring.deploy.DeployFactory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hands the site from the live release to another with no request dropped: the new one starts in the free slot, is
 * ready and warm before nginx is switched to it, and only then the old one drains and stops. Until the switch the old
 * release serves everything; a new one that fails is stopped and nginx never sees it.
 *
 * <p>Each step is announced before it starts (the drills kill {@code ops} at these lines). A deploy killed at any
 * point leaves nginx pointing at exactly one running release; {@link #recover} puts the rest right next time: nginx
 * back at the release {@code live.json} names, and any other instance stopped.
 */
final class Handover {

    /** How long each step took, for the summary. */
    record Timings(Duration ready, int warmRequests, Duration warm, Duration switched, Duration drained,
            String slot, Optional<String> replaced) {
    }

    private final DeployFactory settings;
    private final ReleaseStore store;
    private final Instances instances;
    private final Traffic traffic;
    private final Consumer<String> step;

    Handover(DeployFactory settings, ReleaseStore store, Instances instances, Traffic traffic, Consumer<String> step) {
        this.settings = settings;
        this.store = store;
        this.instances = instances;
        this.traffic = traffic;
        this.step = step;
    }

    /**
     * After an interrupted deploy: nginx points at the live slot again and no other instance runs. Returns what is
     * live, if anything is.
     */
    Optional<LiveState> recover() throws DeployException {
        Optional<LiveState> live = LiveState.read(store.directory());
        for (String slot : List.of("a", "b")) {
            boolean isLive = live.isPresent() && live.get().slot().equals(slot);
            if (isLive) {
                String server = server(slot);
                if (!traffic.local().equals(Optional.of(server))) {
                    step.accept("An earlier deploy was interrupted: nginx goes back to " + live.get().release()
                            + " (slot " + slot + ")");
                    traffic.switchTo(server);
                }
            } else if (instances.running(slot)) {
                step.accept("Stopping the instance in slot " + slot + ", which no deploy finished");
                instances.stop(slot, settings.getDrainTimeout());
            }
        }
        return live;
    }

    /** Moves the traffic to {@code release}; {@code topPaths} are warmed first. */
    Timings run(Release release, Optional<LiveState> live, Supplier<List<String>> topPaths) throws DeployException {
        String slot = live.map(LiveState::otherSlot).orElse("a");
        DeployFactory.Slot ports = settings.slot(slot);
        step.accept("Starting " + release.name() + " in slot " + slot + " (port " + ports.getPort() + ")");
        instances.start(slot, release);
        Duration ready;
        try {
            ready = Readiness.await(instances, slot, ports, settings.getReadinessTimeout());
        } catch (DeployException notReady) {
            instances.stop(slot, Duration.ofSeconds(10));
            markFailed(release, notReady.getMessage().lines().findFirst().orElse("not ready"));
            throw notReady;
        }
        long warmStart = System.nanoTime();
        int warmed = 0;
        if (!settings.getWarmup().isZero()) {
            step.accept("Ready in " + seconds(ready) + "; warming it for " + seconds(settings.getWarmup()));
            warmed = Warmup.run(ports.getPort(), topPaths.get(), settings.getWarmup());
        }
        Duration warm = Duration.ofNanos(System.nanoTime() - warmStart);
        long switchStart = System.nanoTime();
        step.accept("Switching nginx to " + release.name() + " (slot " + slot + ")");
        try {
            traffic.switchTo(server(slot));
        } catch (DeployException refused) {
            instances.stop(slot, Duration.ofSeconds(10));
            throw refused;
        }
        try {
            new LiveState(release.name(), slot, Instant.now(), live.map(LiveState::release).orElse(null))
                    .write(store.directory());
            store.makeCurrent(release);
        } catch (IOException e) {
            throw new DeployException("nginx serves " + release.name() + ", but recording it under "
                    + store.directory() + " failed: " + e.getMessage(), 74, e);
        }
        instances.persist(slot);
        Duration switched = Duration.ofNanos(System.nanoTime() - switchStart);
        long drainStart = System.nanoTime();
        Optional<String> replaced = live.map(LiveState::release);
        String oldSlot = live.map(LiveState::slot).orElse(slot.equals("a") ? "b" : "a");
        if (instances.running(oldSlot)) {
            step.accept("Draining " + replaced.orElse("the old instance") + " (slot " + oldSlot + ")");
            instances.stop(oldSlot, settings.getDrainTimeout());
        }
        return new Timings(ready, warmed, warm, switched, Duration.ofNanos(System.nanoTime() - drainStart), slot,
                replaced);
    }

    /** Stops the live instance (a breaking migration runs under maintenance, with the old release stopped first). */
    void stopLive(LiveState live) throws DeployException {
        step.accept("Stopping " + live.release() + " (slot " + live.slot() + ") before its schema changes");
        instances.stop(live.slot(), settings.getDrainTimeout());
    }

    private void markFailed(Release release, String reason) {
        try {
            store.markFailed(release, reason);
        } catch (IOException e) {
            step.accept("(could not record the failure under " + release.directory() + ": " + e.getMessage() + ")");
        }
    }

    String server(String slot) {
        return "127.0.0.1:" + settings.slot(slot).getPort();
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
