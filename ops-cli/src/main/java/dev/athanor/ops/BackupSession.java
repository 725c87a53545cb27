package dev.athanor.ops;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.AlertSink;
import dev.athanor.backup.BackupException;
import dev.athanor.backup.Backups;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgresException;

/**
 * What a backup command works with: the configuration, the site's database (the embedded one started if need be, and
 * released on close) and the backups it describes.
 */
final class BackupSession implements AutoCloseable {

    private final AthanorConfiguration configuration;
    private final Backups backups;
    private DatabaseServer server;

    private BackupSession(AthanorConfiguration configuration, Backups backups) {
        this.configuration = configuration;
        this.backups = backups;
    }

    /** Reads the configuration and opens the backups; the database is opened when first asked for. */
    static BackupSession open(ConfigOption config, AlertSink alerts) throws ConfigFileException, BackupException {
        AthanorConfiguration configuration = config.load();
        return new BackupSession(configuration, configuration.getBackup().build(alerts));
    }

    AthanorConfiguration configuration() {
        return configuration;
    }

    Backups backups() {
        return backups;
    }

    /** The site's database, as pg_dump and a verification reach it. */
    PostgresTarget database() throws EmbeddedPostgresException {
        if (server == null) {
            server = configuration.getDatabase().start();
        }
        return new PostgresTarget(server.jdbcUrl(), server.user(), server.password());
    }

    /** The running database server, opened by {@link #database()}. */
    DatabaseServer server() throws EmbeddedPostgresException {
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
