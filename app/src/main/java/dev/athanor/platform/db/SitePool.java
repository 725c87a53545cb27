package dev.athanor.platform.db;

import io.dropwizard.db.ManagedDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;

/**
 * The site's connection pool, which stays closed once the site has stopped it. tomcat-jdbc opens a fresh pool for
 * whoever asks for a connection after it was closed: a health check finishing during shutdown did, and that pool's
 * connections outlived the site and kept the embedded PostgreSQL from stopping. Everything else is the pool's own,
 * its metrics' names included.
 */
final class SitePool implements ManagedDataSource {

    private final ManagedDataSource pool;
    /** Connections are taken under the read lock, and the pool stopped under the write lock, so none slips past. */
    private final ReadWriteLock stopping = new ReentrantReadWriteLock();
    private boolean stopped;

    SitePool(ManagedDataSource pool) {
        this.pool = pool;
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
            return source.get();
        } finally {
            stopping.readLock().unlock();
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
