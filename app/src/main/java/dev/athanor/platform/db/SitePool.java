package dev.athanor.platform.db;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.athanor.common.Durations;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;
import org.apache.tomcat.jdbc.pool.PoolExhaustedException;

/**
 * The site's connection pool, which stays closed once the site has stopped it. tomcat-jdbc opens a fresh pool for
 * whoever asks for a connection after it was closed: a health check finishing during shutdown did, and that pool's
 * connections outlived the site and kept the embedded PostgreSQL from stopping.
 *
 * <p>It also makes waiting for a connection visible: every borrow is timed ({@code <prefix>.wait}), and a borrow that
 * found every connection busy for {@code maxWaitForConnection} is counted ({@code <prefix>.timeouts}), remembered for
 * the {@code database-pool} warning, and thrown as a {@link SQLTransientConnectionException} with SQLSTATE
 * {@code 08001} (the class of "no connection to the database", which the pool's own exception lacks) and a message
 * that says what ran out. The pool's own metrics keep their names.
 */
final class SitePool implements ManagedDataSource {

    /** SQLSTATE "unable to establish a connection", as the driver reports a server that refuses connections. */
    static final String NO_CONNECTION = "08001";

    private final ManagedDataSource pool;
    /** Connections are taken under the read lock, and the pool stopped under the write lock, so none slips past. */
    private final ReadWriteLock stopping = new ReentrantReadWriteLock();
    private final Timer waits;
    private final Meter timeoutsMeter;
    private final PoolTimeouts timeouts;
    private final int maxSize;
    private final Duration maxWait;
    private boolean stopped;

    /**
     * @param metrics where {@code <prefix>.wait} and {@code <prefix>.timeouts} are registered
     * @param maxSize and {@code maxWait}: the pool's settings, for messages
     */
    SitePool(ManagedDataSource pool, MetricRegistry metrics, String prefix, PoolTimeouts timeouts, int maxSize,
            Duration maxWait) {
        this.pool = pool;
        this.waits = metrics.timer(MetricRegistry.name(prefix, "wait"));
        this.timeoutsMeter = metrics.meter(MetricRegistry.name(prefix, "timeouts"));
        this.timeouts = timeouts;
        this.maxSize = maxSize;
        this.maxWait = maxWait;
    }

    /** The borrows that timed out lately, for the {@code database-pool} check. */
    PoolTimeouts timeouts() {
        return timeouts;
    }

    @Override
    public void start() throws Exception {
        pool.start();
    }

    @Override
    public void stop() throws Exception {
        stopping.writeLock().lock();
        try {
            stopped = true;
            pool.stop();
        } finally {
            stopping.writeLock().unlock();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return unlessStopped(pool::getConnection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return unlessStopped(() -> pool.getConnection(username, password));
    }

    private Connection unlessStopped(ConnectionSource source) throws SQLException {
        stopping.readLock().lock();
        try {
            if (stopped) {
                throw new SQLException("the site is stopping: its database connection pool is closed");
            }
            return timed(source);
        } finally {
            stopping.readLock().unlock();
        }
    }

    private Connection timed(ConnectionSource source) throws SQLException {
        Timer.Context waiting = waits.time();
        try {
            return source.get();
        } catch (PoolExhaustedException e) {
            timeoutsMeter.mark();
            timeouts.record();
            throw new SQLTransientConnectionException("no database connection free within "
                    + Durations.human(maxWait) + ": all " + maxSize + " of the site's connections are in use",
                    NO_CONNECTION, e);
        } finally {
            waiting.stop();
        }
    }

    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
