package dev.athanor.platform.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How many connections the PostgreSQL server accepts: {@code max_connections}, less the slots it keeps for
 * superusers ({@code superuser_reserved_connections}) and, from PostgreSQL 16, for roles granted
 * {@code pg_use_reserved_connections} ({@code reserved_connections}).
 */
public record ServerLimits(int maxConnections, int reservedConnections) {

    /** The limits of the server {@code connection} is open to. */
    public static ServerLimits read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('max_connections')::int,"
                        + " current_setting('superuser_reserved_connections')::int"
                        + " + coalesce(current_setting('reserved_connections', true), '0')::int")) {
            row.next();
            return new ServerLimits(row.getInt(1), row.getInt(2));
        }
    }

    /** The connections ordinary roles, such as the site's, may open at once. */
    public int available() {
        return maxConnections - reservedConnections;
    }
}
