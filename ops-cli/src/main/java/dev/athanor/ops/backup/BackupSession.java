package dev.athanor.ops.backup;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.AlertSink;
import dev.athanor.backup.BackupException;
import dev.athanor.backup.Backups;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.monitoring.alerts.Alerts;
import dev.athanor.ops.shared.ConfigFileException;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgresException;

/**
 * What a backup command works with: the configuration, the site's database (the embedded one started if need be, and
 * released on close), the backups it describes, and the alert sender they report to.
 */
public final class BackupSession implements AutoCloseable {

    private final AthanorConfiguration configuration;
    private final Alerts alerts;
    private final Backups backups;
    private DatabaseServer server;

    private BackupSession(AthanorConfiguration configuration, Alerts alerts, Backups backups) {
        this.configuration = configuration;
        this.alerts = alerts;
        this.backups = backups;
    }

    /**
     * Reads the configuration and opens the backups, reporting to the alert sender of {@code alerts} and {@code smtp};
     * the database is opened when first asked for.
     */
    public static BackupSession open(ConfigOption config) throws ConfigFileException, BackupException {
        AthanorConfiguration configuration = config.load();
        Alerts alerts = configuration.getAlerts().build(configuration.getSmtp());
        return new BackupSession(configuration, alerts, configuration.getBackup().build(new BackupAlerts(alerts)));
    }

    public AthanorConfiguration configuration() {
        return configuration;
    }

    /** The alert sender, for work beside the backups (the scheduler's other jobs). */
    public Alerts alerts() {
        return alerts;
    }

    /** The same sender as the backups' {@link AlertSink}, for the scheduler's jobs and watchdog. */
    public AlertSink alertSink() {
        return new BackupAlerts(alerts);
    }

    public Backups backups() {
        return backups;
    }

    /** The site's database, as pg_dump and a verification reach it. */
    public PostgresTarget database() throws EmbeddedPostgresException {
        if (server == null) {
            server = configuration.getDatabase().start();
        }
        return new PostgresTarget(server.jdbcUrl(), server.user(), server.password());
    }

    /** The running database server, opened by {@link #database()}. */
    public DatabaseServer server() throws EmbeddedPostgresException {
        database();
        return server;
    }

    @Override
    public void close() {
        backups.close();
        if (server != null) {
            server.close();
        }
    }
}
