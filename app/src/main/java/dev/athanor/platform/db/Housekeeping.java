package dev.athanor.platform.db;

import io.dropwizard.lifecycle.Managed;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what has expired, hourly, in one transaction: each context hands in a clean-up of its own tables (the
 * accounts' expired sessions and links, mail delivered long ago, old Stripe idempotency keys), so no context deletes
 * from another's. Several nodes may run it at once; the deletes are idempotent.
 */
public final class Housekeeping implements Managed {

    /** One context's clean-up, run within the shared transaction; returns how many rows it deleted. */
    @FunctionalInterface
    public interface Cleanup {
        int run(Handle handle);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final Jdbi jdbi;
    private final List<Cleanup> cleanups;
    private ScheduledExecutorService executor;

    public Housekeeping(Jdbi jdbi, List<Cleanup> cleanups) {
        this.jdbi = jdbi;
        this.cleanups = List.copyOf(cleanups);
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::runQuietly, 5, 60, TimeUnit.MINUTES);
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void runQuietly() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("Housekeeping failed (tried again in an hour): {}", e.toString());
        }
    }

    /** Runs every clean-up; returns how many rows went. */
    public int run() {
        return jdbi.inTransaction(handle -> {
            int gone = 0;
            for (Cleanup cleanup : cleanups) {
                gone += cleanup.run(handle);
            }
            return gone;
        });
    }
}
