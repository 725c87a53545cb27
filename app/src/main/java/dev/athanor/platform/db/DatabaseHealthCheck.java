package dev.athanor.platform.db;

import com.codahale.metrics.health.HealthCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The database answers a query through the site's own pool, so the check sees what requests would see. */
final class DatabaseHealthCheck extends HealthCheck {

    private final DataSource dataSource;
    private final int queryTimeoutSeconds;

    DatabaseHealthCheck(DataSource dataSource, int queryTimeoutSeconds) {
        this.dataSource = dataSource;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    @Override
    protected Result check() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            statement.execute("/* health check */ SELECT 1");
            return Result.healthy();
        } catch (SQLException e) {
            return Result.unhealthy(e.getMessage());
        }
    }
}
