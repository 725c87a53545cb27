package dev.athanor.ops;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.backups.BackupStatusSource;
import dev.athanor.monitoring.backups.BackupsNotConfigured;

/**
 * Where {@code ops status}, {@code ops doctor} and {@code ops digest} learn what the backups side recorded. Until the
 * backups issue wires its implementation here (manifests in object storage, job runs in PostgreSQL), it says
 * "backups not configured yet".
 */
final class BackupStatus {

    private BackupStatus() {
    }

    static BackupStatusSource of(AthanorConfiguration configuration) {
        return new BackupsNotConfigured();
    }
}
