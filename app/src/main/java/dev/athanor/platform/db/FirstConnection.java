package dev.athanor.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's first connections at start: one directly to the server, which also reads its connection limit for the
 * {@link ConnectionBudget}, and one through the connection pooler when there is one. A site that is to migrate at
 * start cannot run without them, and stops with one line saying why (a certificate, a host name, a password); one
 * that is not logs the same line and starts, to turn healthy when the database answers.
 */
final class FirstConnection {

    private static final Logger LOGGER = LoggerFactory.getLogger(FirstConnection.class);
    private static final int TIMEOUT_SECONDS = 5;

    private FirstConnection() {
    }

    static void check(DatabaseServer server, DatabaseFactory factory, ConnectionDemand demand)
            throws DatabaseConnectionException {
        try (Connection connection = server.connect("athanor-start", TIMEOUT_SECONDS)) {
            ConnectionBudget budget = new ConnectionBudget(demand, ServerLimits.read(connection));
            Optional<String> shortfall = budget.shortfall();
            if (shortfall.isPresent()) {
                LOGGER.warn("Too few database connections: {}", shortfall.get());
            } else {
                LOGGER.info("Database connections: {}{}", budget.counts(), demand.pooled()
                        ? "; the pooler may use up to " + budget.poolerServerConnections() + " server connection(s)"
                        : "");
            }
        } catch (DatabaseConnectionException e) {
            refuse(factory, e);
        } catch (SQLException e) {
            LOGGER.warn("Could not read the database's connection limit: {}", e.getMessage());
        }
        Optional<DatabaseServer> pooler = factory.pooler();
        if (pooler.isPresent()) {
            try (Connection connection = pooler.get().connect("athanor-start", TIMEOUT_SECONDS)) {
                LOGGER.info("The site's pool goes through the connection pooler at {}; migrations, LISTEN and"
                        + " health checks connect to {}", ConnectionFailure.address(pooler.get().jdbcUrl()),
                        ConnectionFailure.address(server.jdbcUrl()));
            } catch (DatabaseConnectionException e) {
                refuse(factory, e);
            } catch (SQLException e) {
                LOGGER.warn("Could not close the first pooled connection: {}", e.getMessage());
            }
        }
    }

    private static void refuse(DatabaseFactory factory, DatabaseConnectionException e)
            throws DatabaseConnectionException {
        if (factory.isMigrateOnStart()) {
            throw e;
        }
        LOGGER.warn("{} (starting anyway: migrateOnStart is false)", e.getMessage());
    }
}
