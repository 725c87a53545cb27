package dev.athanor.platform.db;

import dev.athanor.platform.health.HealthChecks;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's database, wired into Dropwizard: the server (started if embedded), the pooled data source, the schema
 * migrated, Jdbi for the contexts, and the {@code database} (on a connection of its own), {@code migrations} and
 * {@code database-pool} health checks ({@code database-pooler} too, when the pool goes through a connection pooler).
 */
public final class Database {

    /** The names under which the health checks are registered. */
    public static final String HEALTH_CHECK = "database";
    public static final String MIGRATIONS_CHECK = "migrations";
    /** A warning on the admin port only: requests waited in vain for a connection of the site's pool lately. */
    public static final String POOL_CHECK = "database-pool";
    /** On the admin port, with {@code database.directUrl} set: the connection pooler answers the site's pool. */
    public static final String POOLER_CHECK = "database-pooler";

    private static final Logger LOGGER = LoggerFactory.getLogger(Database.class);

    private final Jdbi jdbi;
    private final Migrations migrations;
    private final DatabaseServer server;
    private final DataSource dataSource;

    private Database(Jdbi jdbi, Migrations migrations, DatabaseServer server, DataSource dataSource) {
        this.jdbi = jdbi;
        this.migrations = migrations;
        this.server = server;
        this.dataSource = dataSource;
    }

    /**
     * Opens the configured database for the site. The server is released when the site stops, after the pool has
     * closed; if anything here fails, it is released at once. A first connection (and one through the pooler, if
     * one is configured) tells a wrong certificate, host or password in one line, and the server's connection limit
     * is weighed against {@code demand} (a warning when the nodes may open more).
     *
     * @throws DatabaseConnectionException when migrations are to run at start and the database cannot be reached
     */
    public static Database open(DatabaseFactory factory, ConnectionDemand demand, Environment environment,
            HealthChecks healthChecks) throws Exception {
        DatabaseServer server = factory.start();
        try {
            FirstConnection.check(server, factory, demand);
            environment.lifecycle().manage(new Managed() {
                @Override
                public void stop() {
                    server.close();
                }
            });
            ManagedDataSource pool = factory.buildPool(environment.metrics(), server, "database");
            environment.lifecycle().manage(pool);

            // through a pooler in transaction mode, Flyway's session lock would not hold: migrations connect directly
            Migrations migrations = new Migrations(factory.isPooled() ? server.dataSource("athanor-migrations")
                    : pool);
            if (factory.isMigrateOnStart()) {
                int applied = migrations.migrate();
                LOGGER.info("Database {}: {} migration(s) applied", server.describe(), applied);
            }
            Jdbi jdbi = jdbi(pool);

            int timeoutSeconds = (int) factory.getValidationQueryTimeout().orElseThrow().toSeconds();
            DatabaseHealthCheck check = new DatabaseHealthCheck(server.dataSource("athanor-health", timeoutSeconds),
                    timeoutSeconds);
            environment.lifecycle().manage(check);
            healthChecks.register(HEALTH_CHECK, check, Duration.ofSeconds(timeoutSeconds + 1L));
            Optional<DatabaseServer> pooler = factory.pooler();
            if (pooler.isPresent()) {
                DatabaseHealthCheck pooled = new DatabaseHealthCheck(pooler.get().dataSource("athanor-health-pooled",
                        timeoutSeconds), timeoutSeconds);
                environment.lifecycle().manage(pooled);
                healthChecks.register(POOLER_CHECK, pooled, Duration.ofSeconds(timeoutSeconds + 1L));
            }
            healthChecks.register(POOL_CHECK, new DatabasePoolHealthCheck(((SitePool) pool).timeouts(),
                    factory.getMaxSize(), factory.getMaxWaitForConnection().toJavaDuration()), Duration.ofSeconds(1));
            healthChecks.register(MIGRATIONS_CHECK, new MigrationsHealthCheck(migrations), Duration.ofSeconds(10));
            return new Database(jdbi, migrations, server, pool);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Jdbi over {@code dataSource} with the plugins every context relies on (SqlObject, PostgreSQL types). */
    public static Jdbi jdbi(DataSource dataSource) {
        return Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    }

    public Migrations migrations() {
        return migrations;
    }

    /** The site's pool, for checks that read tables no context owns (the scheduler's). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Plain connections outside the pool, for a listener that holds one for as long as the site runs. */
    public DataSource unpooled(String applicationName) {
        return server.dataSource(applicationName);
    }

    /**
     * Lets the server go at once, for a site that fails to start after opening its database (normally the server is
     * released when the site stops).
     */
    public void releaseAfterFailedStart() {
        server.close();
    }
}
