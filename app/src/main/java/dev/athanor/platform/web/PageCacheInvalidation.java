package dev.athanor.platform.web;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every node's page cache true to the database. A content change is announced with PostgreSQL's NOTIFY inside
 * the transaction that makes it, so the announcement goes out exactly when the change commits, to every node
 * listening, this one included; each node drops the pages that depend on it. If a node's listening connection breaks
 * it may have missed announcements, so it drops its whole cache and listens again.
 */
public final class PageCacheInvalidation implements Managed {

    static final String CHANNEL = "athanor_page_cache";
    private static final int MAX_PAYLOAD = 7900;
    private static final Logger LOGGER = LoggerFactory.getLogger(PageCacheInvalidation.class);

    private final PageCache cache;
    private final DataSource dataSource;
    private volatile boolean running;
    private Thread listener;

    /** @param dataSource plain connections (not the pool's): the listener holds one for as long as it runs */
    public PageCacheInvalidation(PageCache cache, DataSource dataSource) {
        this.cache = cache;
        this.dataSource = dataSource;
    }

    /** Announces, within {@code handle}'s transaction, that content named by {@code keys} changed. */
    public static void announce(Handle handle, Collection<String> keys) {
        String payload = String.join(",", new TreeSet<>(keys));
        if (payload.length() > MAX_PAYLOAD) {
            payload = "*";
        }
        handle.createQuery("SELECT pg_notify(:channel, :payload)").bind("channel", CHANNEL)
                .bind("payload", payload).mapTo(String.class).one();
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
        long backoff = 500;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                // Whatever was announced while this node was not listening is unknown: start afresh.
                cache.invalidateAll();
                backoff = 500;
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(1000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            cache.invalidate(keys(notification.getParameter()));
                        }
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOGGER.warn("Page cache invalidation lost its database connection ({}); retrying in {} ms",
                            e.getMessage(), backoff);
                    cache.invalidateAll();
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 30_000);
                }
            }
        }
    }

    static Set<String> keys(String payload) {
        return Set.copyOf(Arrays.asList(payload.split(",")));
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
