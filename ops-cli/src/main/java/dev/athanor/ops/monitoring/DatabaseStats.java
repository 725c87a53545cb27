package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.status.ServerStatus;
import dev.athanor.platform.db.DatabaseServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;

/** The database's size and connections as {@code ops status} shows them; a failure becomes the part's problem. */
final class DatabaseStats {

    private static final String QUERY = "select pg_database_size(current_database()),"
            + " (select count(*) from pg_stat_activity where datname = current_database()),"
            + " current_setting('max_connections')::int";

    private DatabaseStats() {
    }

    static ServerStatus.Database read(AthanorConfiguration configuration) {
        try (DatabaseServer server = configuration.getDatabase().start()) {
            DataSource dataSource = server.dataSource("athanor-ops-status");
            dataSource.setLoginTimeout(5);
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(5);
                try (ResultSet row = statement.executeQuery(QUERY)) {
                    row.next();
                    return new ServerStatus.Database(server.describe(), row.getLong(1), row.getInt(2), row.getInt(3),
                            null);
                }
            }
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ServerStatus.Database(null, 0, 0, 0, message.lines().findFirst().orElse(message));
        }
    }
}
