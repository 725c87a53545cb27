package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.db.ConnectionBudget;
import dev.athanor.platform.db.ConnectionDemand;
import dev.athanor.platform.db.DatabaseConnectionException;
import dev.athanor.platform.db.DatabaseFactory;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.ServerLimits;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the site reaches a database it does not run itself: whether the server's certificate is verified
 * ({@code db-tls}), which address is direct and which goes through a connection pooler ({@code db-pooler}), and whether
 * the nodes may open more connections than the server accepts ({@code db-connections}, the same numbers the site
 * logs at start). Silent for the embedded database, whose server is the site's own.
 */
final class DatabaseConnectionChecks {

    private static final int TIMEOUT_SECONDS = 5;

    private final AthanorConfiguration configuration;

    DatabaseConnectionChecks(AthanorConfiguration configuration) {
        this.configuration = configuration;
    }

    List<Finding> findings() {
        DatabaseFactory database = configuration.getDatabase();
        List<Finding> findings = new ArrayList<>();
        if (database.isEmbedded()) {
            return findings;
        }
        try (DatabaseServer server = database.start()) {
            findings.add(tls(database, server));
            findings.addAll(route(database, server));
            connections(database, server).ifPresent(findings::add);
        } catch (Exception e) {
            findings.add(Finding.fail("db-connections", "cannot weigh the connections: " + e.getMessage(),
                    "see the database finding above"));
        }
        return findings;
    }

    private static Finding tls(DatabaseFactory database, DatabaseServer server) {
        String url = server.jdbcUrl();
        Optional<java.nio.file.Path> ca = database.getCaFile();
        if (ca.isPresent()) {
            String mode = url.contains("sslmode=verify-ca") ? "verify-ca: the chain, not the host name"
                    : "verify-full: the chain and the host name";
            return Finding.ok("db-tls", "the server's certificate is verified against " + ca.get() + " (" + mode
                    + ")");
        }
        if (url.matches(".*[?&]sslmode=verify-(ca|full)(&.*)?")) {
            return Finding.ok("db-tls", "the server's certificate is verified (" + url.replaceAll(
                    ".*(sslmode=verify-[a-z]+).*", "$1") + ", against the driver's default root certificate)");
        }
        if (url.matches(".*//(127\\.0\\.0\\.1|localhost|\\[::1\\])[:/].*")) {
            return Finding.ok("db-tls", "the database is on this host (no certificate to verify)");
        }
        return Finding.warn("db-tls", "the database's certificate is not verified (" + (url.contains("sslmode=")
                ? url.replaceAll(".*(sslmode=[a-z-]+).*", "$1") : "no sslmode") + "): whoever sits between"
                + " this host and the database could read and change what the site sends",
                "download the database's CA certificate (DigitalOcean: the database's Overview, Download CA"
                        + " certificate) to /etc/athanor/database-ca.crt and set"
                        + " DATABASE_CA_FILE=/etc/athanor/database-ca.crt in /etc/athanor/athanor.env");
    }

    private static List<Finding> route(DatabaseFactory database, DatabaseServer server) {
        Optional<DatabaseServer> pooler = database.pooler();
        if (pooler.isEmpty()) {
            return List.of(Finding.ok("db-pooler", "no connection pooler: the site's pool and everything else"
                    + " connect to " + address(server)));
        }
        try (Connection connection = pooler.get().connect("athanor-ops-doctor", TIMEOUT_SECONDS)) {
            return List.of(Finding.ok("db-pooler", "the site's pool goes through the connection pooler at "
                    + address(pooler.get()) + " (prepareThreshold=0); migrations, LISTEN, health checks, the"
                    + " scheduler, backups and ops connect directly to " + address(server) + " (database.directUrl)"));
        } catch (DatabaseConnectionException e) {
            return List.of(Finding.fail("db-pooler", e.getMessage(), "check DATABASE_URL (the pooler's address,"
                    + " in transaction mode) in /etc/athanor/athanor.env, and that the pooler runs"));
        } catch (java.sql.SQLException e) {
            return List.of(Finding.warn("db-pooler", "the pooled connection did not close: " + e.getMessage(),
                    null));
        }
    }

    /** The budget, or nothing when the server cannot be reached (the database finding says why). */
    private Optional<Finding> connections(DatabaseFactory database, DatabaseServer server) throws Exception {
        try (Connection connection = server.connect("athanor-ops-doctor", TIMEOUT_SECONDS)) {
            ConnectionBudget budget = new ConnectionBudget(ConnectionDemand.of(database,
                    configuration.getScheduler(), configuration.getNginx()), ServerLimits.read(connection));
            if (budget.shortfall().isPresent()) {
                return Optional.of(Finding.warn("db-connections", budget.counts(), budget.remedy()));
            }
            return Optional.of(Finding.ok("db-connections", budget.counts() + (database.isPooled()
                    ? "; the pooler may use up to " + budget.poolerServerConnections() + " server connection(s)"
                    : "")));
        } catch (DatabaseConnectionException e) {
            return Optional.empty();
        }
    }

    private static String address(DatabaseServer server) {
        String rest = server.jdbcUrl().replaceFirst("^jdbc:postgresql://", "");
        return rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest;
    }
}
