package dev.athanor.platform.db;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The database answers a query on a connection of the check's own, outside the site's pool: a pool that busy
 * requests have emptied is not an outage, and must not take the site out of readiness (it did, for 6 s, under 32
 * concurrent expensive searches). The connection is kept open between checks and opened again after a failure, so
 * a real outage still shows within a check or two and recovery as soon as the server answers.
 *
 * <p>Checks may overlap (the readiness schedule and the admin page); they take turns on the one connection. Once the
 * site has stopped it, the check closes its connection and opens no other (as {@link SitePool} does), so nothing
 * keeps an embedded PostgreSQL from stopping.
 */
final class DatabaseHealthCheck extends HealthCheck implements Managed {

    private final DataSource server;
    private final int queryTimeoutSeconds;
    private final ReentrantLock turn = new ReentrantLock();
    private Connection connection;
    private boolean stopped;

    /**
     * @param server plain connections to the database, each bounded by the query timeout to connect and to read
     */
    DatabaseHealthCheck(DataSource server, int queryTimeoutSeconds) {
        this.server = server;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    @Override
    protected Result check() throws InterruptedException {
        if (!turn.tryLock(queryTimeoutSeconds * 2L + 1, TimeUnit.SECONDS)) {
            return Result.unhealthy("an earlier check is still waiting for the database");
        }
        try {
            if (stopped) {
                return Result.unhealthy("the site is stopping: its database check is closed");
            }
            boolean kept = connection != null;
            try {
                return query();
            } catch (SQLException first) {
                close();
                if (!kept) {
                    return Result.unhealthy(first.getMessage());
                }
            }
            // the kept connection may just have been cut (the server restarted); a fresh one tells that from an outage
            try {
                return query();
            } catch (SQLException e) {
                close();
                return Result.unhealthy(e.getMessage());
            }
        } finally {
            turn.unlock();
        }
    }

    private Result query() throws SQLException {
        if (connection == null) {
            connection = server.getConnection();
        }
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            statement.execute("/* health check */ SELECT 1");
            return Result.healthy();
        }
    }

    @Override
    public void stop() {
        turn.lock();
        try {
            stopped = true;
            close();
        } finally {
            turn.unlock();
        }
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // it is being given up: nothing more to do with it
            }
            connection = null;
        }
    }
}
