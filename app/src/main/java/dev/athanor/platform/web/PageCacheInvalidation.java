package dev.athanor.platform.web;

import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.LearnerChanges;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every node's page cache true to the database. A content change is announced inside the transaction that makes
 * it: a row in {@code page_changes} and PostgreSQL's NOTIFY, so the announcement goes out exactly when the change
 * commits, to every node listening, this one included; each node drops the pages that depend on it.
 *
 * <p>A node whose listening connection breaks keeps its cache (its pages stay servable while the database is away)
 * and, once it listens again, reads the changes that committed since the snapshot it took when it last started
 * listening, skips those it was told of, and drops the pages of the rest: exactly what changed meanwhile. Rows are
 * kept a day ({@link #forgetOld}, from housekeeping).
 *
 * <p>The same connection hears the learner tables' announcements ({@link LearnerChanges#CHANNEL}) and proves itself
 * alive with a round trip every {@link LearnerChanges#PING_MILLIS} ms, on which what this node keeps of learners
 * depends.
 */
public final class PageCacheInvalidation implements Managed {

    static final String CHANNEL = "athanor_page_cache";
    /** How long announced changes are kept for listeners that catch up. */
    static final Duration KEPT = Duration.ofDays(1);
    private static final int MAX_PAYLOAD = 7900;
    private static final String ID = "#";
    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 5000;
    private static final long NETWORK_TIMEOUT_MILLIS = 5000;
    /** Changes told of since the snapshot, at most; beyond it a new snapshot is taken (practically never). */
    private static final int MAX_SEEN = 10_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(PageCacheInvalidation.class);

    private final PageCache cache;
    private final LearnerChanges learners;
    private final Jdbi jdbi;
    private final DatabaseOutage outage;
    private volatile boolean running;
    private Thread listener;
    /** The snapshot taken when this node last started listening; null before the first time. */
    private String horizon;
    /** The changes told of by NOTIFY since {@link #horizon} was taken. */
    private final Set<Long> seen = new HashSet<>();

    /** @param dataSource plain connections (not the pool's): the listener holds one for as long as it runs */
    PageCacheInvalidation(PageCache cache, LearnerChanges learners, DataSource dataSource, DatabaseOutage outage) {
        this.cache = cache;
        this.learners = learners;
        this.jdbi = Database.jdbi(dataSource);
        this.outage = outage;
    }

    /** Announces, within {@code handle}'s transaction, that content named by {@code keys} changed. */
    public static void announce(Handle handle, Collection<String> keys) {
        String joined = String.join(",", new TreeSet<>(keys));
        PageChangeDao changes = handle.attach(PageChangeDao.class);
        long id = changes.record(joined);
        // The change's id rides along as one more key (#42), which matches no page on nodes that do not know it.
        changes.notify(CHANNEL, (joined.length() > MAX_PAYLOAD ? "*" : joined) + "," + ID + id);
    }

    /** Removes the changes older than a day, for housekeeping; returns how many went. */
    public static int forgetOld(Handle handle) {
        return handle.attach(PageChangeDao.class).forgetOlderThan(KEPT.toSeconds());
    }

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "page-cache-invalidation");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (listener != null) {
            listener.interrupt();
            listener.join(5000);
        }
    }

    private void listen() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (running) {
            try (Handle handle = jdbi.open()) {
                Connection connection = handle.getConnection();
                // A connection the network dropped without a word fails its next round trip within this, not after
                // the system's TCP timeout (getNotifications waits with its own timeout).
                connection.setNetworkTimeout(Runnable::run, (int) NETWORK_TIMEOUT_MILLIS);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                    statement.execute("LISTEN " + LearnerChanges.CHANNEL);
                    PageChangeDao changes = handle.attach(PageChangeDao.class);
                    catchUp(changes);
                    learners.listening();
                    backoff = FIRST_BACKOFF_MILLIS;
                    PGConnection postgres = connection.unwrap(PGConnection.class);
                    long pinged = System.nanoTime();
                    while (running) {
                        long wait = LearnerChanges.PING_MILLIS - (System.nanoTime() - pinged) / 1_000_000;
                        if (wait > 0) {
                            tell(postgres.getNotifications((int) wait));
                            continue;
                        }
                        // The round trip brings every notification of what committed before it started.
                        pinged = System.nanoTime();
                        statement.execute("SELECT 1");
                        tell(postgres.getNotifications());
                        learners.confirmed(pinged);
                        if (seen.size() > MAX_SEEN) {
                            horizon = changes.snapshot();
                            seen.clear();
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                learners.deaf();
                if (running) {
                    lost(e, backoff);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        }
    }

    private void tell(PGNotification[] notifications) {
        if (notifications == null) {
            return;
        }
        for (PGNotification notification : notifications) {
            if (notification.getName().equals(LearnerChanges.CHANNEL)) {
                learners.heard(notification.getParameter());
            } else {
                cache.invalidate(told(notification.getParameter()));
            }
        }
    }

    /**
     * Drops the pages of the changes that committed since {@link #horizon} and were not told of (none the first time),
     * then takes the snapshot to catch up from next time. LISTEN comes first, so nothing falls between the two.
     */
    private void catchUp(PageChangeDao changes) {
        String now = changes.snapshot();
        if (horizon != null) {
            Set<String> missed = new TreeSet<>();
            int count = 0;
            for (PageChangeDao.Change change : changes.committedAfter(horizon)) {
                if (!seen.contains(change.id())) {
                    missed.addAll(keys(change.keys()));
                    count++;
                }
            }
            if (count > 0) {
                cache.invalidate(missed);
                LOGGER.info("Page cache caught up on {} change(s) made while it was not listening", count);
            }
        }
        horizon = now;
        seen.clear();
    }

    /** The keys a notification names, noting the change's id as told of. */
    private Set<String> told(String payload) {
        Set<String> keys = keys(payload);
        for (String key : keys) {
            if (key.startsWith(ID)) {
                try {
                    seen.add(Long.parseLong(key.substring(ID.length())));
                } catch (NumberFormatException ignored) {
                    // not an id after all: a key like any other
                }
            }
        }
        return keys;
    }

    private void lost(Exception e, long backoff) {
        var unreachable = DatabaseOutage.unreachable(e);
        if (unreachable.isPresent()) {
            // the outage says so once; the listener keeps trying quietly
            outage.noticed(unreachable.get());
            LOGGER.debug("Page cache invalidation lost its database connection ({}); retrying in {} ms",
                    unreachable.get(), backoff);
        } else if (backoff == FIRST_BACKOFF_MILLIS) {
            LOGGER.warn("Page cache invalidation lost its database connection ({}); retrying", e.toString());
        }
    }

    static Set<String> keys(String payload) {
        return Arrays.stream(payload.split(",")).filter(key -> !key.isEmpty()).collect(Collectors.toSet());
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
