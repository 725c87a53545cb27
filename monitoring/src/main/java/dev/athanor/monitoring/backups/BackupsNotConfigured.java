package dev.athanor.monitoring.backups;

import java.util.List;
import java.util.Optional;

/** The stand-in until the backups side is wired in: everything is "not configured yet", nothing fails. */
public final class BackupsNotConfigured implements BackupStatusSource {

    public static final String REASON = "backups not configured yet (ops backup arrives with the backups issue)";

    @Override
    public Optional<String> notConfigured() {
        return Optional.of(REASON);
    }

    @Override
    public Optional<LastBackup> lastBackup() {
        return Optional.empty();
    }

    @Override
    public Optional<RestoreTest> lastRestoreTest() {
        return Optional.empty();
    }

    @Override
    public List<ScheduledJob> nextJobs() {
        return List.of();
    }

    @Override
    public Optional<String> checkStorage() {
        return Optional.empty();
    }
}
