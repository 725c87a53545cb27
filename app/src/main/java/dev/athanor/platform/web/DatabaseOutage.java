package dev.athanor.platform.web;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.tomcat.jdbc.pool.PoolExhaustedException;
import org.jdbi.v3.core.ConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the site can reach its database, as the requests that could not tell it: a failure whose cause means the
 * database is unreachable (see {@link #unreachable}) starts an outage, logged once as a WARN; while it lasts, pages in
 * the cache are served as they are, even past their lifetime, and other requests answer 503 with {@code Retry-After}
 * and nothing more in the log; a probe through the site's pool, every second, ends it with one INFO that gives its
 * length and the number of requests that failed. So a blip of any length writes two lines, not a stack trace a
 * request.
 */
final class DatabaseOutage implements Managed {

    /** What a 503 for an unreachable database tells clients to wait, in seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** Server shutting down or starting (57P01-57P03), too many connections (53300); class 08 is a lost connection. */
    private static final Set<String> UNREACHABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final Logger LOGGER = LoggerFactory.getLogger(DatabaseOutage.class);

    private final AtomicLong failedRequests = new AtomicLong();
    private final AtomicLong staleAnswers = new AtomicLong();
    private volatile boolean down;
    private long startedNanos;
    private volatile DataSource probe;
    private ScheduledExecutorService prober;

    /**
     * Why {@code failure} means the database cannot be reached (the message of the cause that says so), wherever
     * Jersey or Jdbi wrapped it; empty for every other fault, which stays a bug to log.
     */
    static Optional<String> unreachable(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 16; cause = cause.getCause(), depth++) {
            if (cause instanceof PoolExhaustedException) {
                return Optional.of(reason(cause));
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || UNREACHABLE_STATES.contains(state))
                        || String.valueOf(sql.getMessage()).contains("Timeout: Pool empty")) {
                    return Optional.of(reason(sql));
                }
            }
            if (cause instanceof ConnectionException) {
                return Optional.of(reason(cause.getCause() == null ? cause : cause.getCause()));
            }
        }
        return Optional.empty();
    }

    private static String reason(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        int line = message.indexOf('\n');
        message = line < 0 ? message : message.substring(0, line);
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    /** Ends outages by asking {@code pool} for a working connection, every second while one lasts. */
    void probeThrough(DataSource pool) {
        this.probe = pool;
    }

    @Override
    public void start() {
        prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "database-outage-probe");
            thread.setDaemon(true);
            return thread;
        });
        prober.scheduleWithFixedDelay(this::probeIfDown, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (prober != null) {
            prober.shutdownNow();
        }
    }

    /** A request failed because the database could not be reached: counted, and an outage begins if none is on. */
    void failedRequest(String reason) {
        begin(reason);
        failedRequests.incrementAndGet();
    }

    /** A request was answered from a cached page because rendering it failed for want of the database. */
    void servedStale(String reason) {
        begin(reason);
        staleAnswers.incrementAndGet();
    }

    /** A request was answered from a page past its lifetime, without trying, because an outage is on. */
    void servedStaleWhileDown() {
        staleAnswers.incrementAndGet();
    }

    /** Something other than a request (the page cache's listener) lost the database. */
    void noticed(String reason) {
        begin(reason);
    }

    /** Whether an outage is on: pages past their lifetime are then served without trying the database first. */
    boolean isDown() {
        return down;
    }

    /** The database answered again: ends the outage, if one is on, with one line that sums it up. */
    synchronized void reachable() {
        if (!down) {
            return;
        }
        down = false;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        LOGGER.info("Database reachable again after {} s: {} request(s) answered 503, {} answered from stale cached"
                + " pages meanwhile", String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0),
                failedRequests.getAndSet(0), staleAnswers.getAndSet(0));
    }

    private synchronized void begin(String reason) {
        if (down) {
            return;
        }
        down = true;
        startedNanos = System.nanoTime();
        LOGGER.warn("Database unreachable: {} (cached pages are served as they are, other requests answer 503 until it"
                + " returns)", reason);
    }

    private void probeIfDown() {
        DataSource pool = probe;
        if (!down || pool == null) {
            return;
        }
        try (Connection connection = pool.getConnection()) {
            if (connection.isValid(2)) {
                reachable();
            }
        } catch (SQLException | RuntimeException stillDown) {
            // the outage goes on; its end is what gets logged
        }
    }
}
