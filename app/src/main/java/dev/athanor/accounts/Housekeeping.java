package dev.athanor.accounts;

import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what has expired, hourly: sessions past their timeouts, device cookies past their year, sign-ins that
 * waited too long for their second factor, authenticators not confirmed a day after enrolment began, mail links
 * used or expired a week ago, mail sent a month ago, and Stripe idempotency keys older than Stripe keeps them.
 * Several nodes may run it at once; the deletes are idempotent.
 */
public final class Housekeeping implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final Jdbi jdbi;
    private final AccountsFactory settings;
    private ScheduledExecutorService executor;

    public Housekeeping(Jdbi jdbi, AccountsFactory settings) {
        this.jdbi = jdbi;
        this.settings = settings;
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

    /** Deletes what has expired; returns how many rows went. */
    public int run() {
        return jdbi.inTransaction(handle -> {
            int gone = handle.createUpdate("DELETE FROM session WHERE expires_at < now()"
                    + " OR last_seen_at < now() - make_interval(secs => :idle)")
                    .bind("idle", settings.idleTimeout().toSeconds()).execute();
            gone += handle.execute("DELETE FROM device WHERE expires_at < now()");
            gone += handle.execute("DELETE FROM pending_sign_in WHERE expires_at < now()");
            gone += handle.execute("DELETE FROM second_factor WHERE confirmed_at IS NULL"
                    + " AND created_at < now() - interval '1 day'");
            gone += handle.execute("DELETE FROM one_time_token WHERE expires_at < now() - interval '7 days'");
            gone += handle.execute("DELETE FROM outbox WHERE sent_at < now() - interval '30 days'");
            gone += handle.execute("DELETE FROM stripe_request WHERE created_at < now() - interval '2 days'");
            return gone;
        });
    }
}
