package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.BackupException;
import dev.athanor.backup.BackupOverview;
import dev.athanor.backup.Backups;
import dev.athanor.backup.storage.StorageException;
import dev.athanor.backup.scheduler.SchedulerFactory;
import dev.athanor.backup.scheduler.SchedulerStatus;
import dev.athanor.monitoring.backups.BackupStatusSource;
import dev.athanor.platform.db.DatabaseServer;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where {@code ops status}, {@code ops doctor} and {@code ops digest} learn what the backups side recorded: the newest
 * backup and restore test from the backup storage (one listing and a few small reads, each request bounded by
 * {@code monitoring.timeout}), the scheduler's jobs and problems from its tables, and a HEAD on the bucket. Each part
 * is read once, when first asked for; a read that fails throws, and is never taken for "no backup". Close it to
 * release the storage's client.
 */
final class BackupStatus implements BackupStatusSource, AutoCloseable {

    static final String NOT_SET_UP = "not set up yet: no backup taken and no scheduler started (ops backup run;"
            + " systemctl enable --now athanor-scheduler)";

    private final AthanorConfiguration configuration;
    private final Backups backups;
    private final BackupException unusable;
    private BackupOverview overview;
    private SchedulerStatus scheduler;

    private BackupStatus(AthanorConfiguration configuration, Backups backups, BackupException unusable) {
        this.configuration = configuration;
        this.backups = backups;
        this.unusable = unusable;
    }

    static BackupStatus of(AthanorConfiguration configuration) {
        try {
            return new BackupStatus(configuration, configuration.getBackup().buildForReading(
                    configuration.getMonitoring().getTimeout()), null);
        } catch (BackupException e) {
            return new BackupStatus(configuration, null, e);
        }
    }

    /** No backup or failed attempt in the storage, and no scheduler ever started: a fresh setup, not a fault. */
    @Override
    public java.time.Duration maxAge() {
        return configuration.getBackup().getPeriod().plus(configuration.getBackup().getGrace());
    }

    @Override
    public Optional<String> notConfigured() {
        try {
            return !overview().anyAttempt() && scheduler().neverStarted() ? Optional.of(NOT_SET_UP)
                    : Optional.empty();
        } catch (Exception e) {
            return Optional.empty(); // lastBackup() and nextJobs() report it
        }
    }

    @Override
    public Optional<LastBackup> lastBackup() throws BackupException {
        return overview().newest().map(entry -> new LastBackup(entry.manifest().id(), entry.manifest().kind().label(),
                entry.manifest().finishedAt(), entry.manifest().bytes(), entry.verified(),
                entry.manifest().encrypted()));
    }

    @Override
    public Optional<RestoreTest> lastRestoreTest() throws BackupException {
        return overview().lastVerification().map(test -> new RestoreTest(test.id(), test.verifiedAt(), test.passed(),
                test.detail()));
    }

    @Override
    public Optional<FailedAttempt> failedSince() throws BackupException {
        return overview().failedSince().map(failure -> new FailedAttempt(failure.id(), failure.kind().label(),
                failure.startedAt(), failure.failedAt(), failure.reason()));
    }

    @Override
    public List<ScheduledJob> nextJobs() throws SQLException {
        return scheduler().jobs().stream()
                .map(job -> new ScheduledJob(job.name(), job.nextFire().orElse(null),
                        job.lastRun().map(run -> run.startedAt()).orElse(null),
                        job.lastRun().map(run -> run.outcome()).orElse(null)))
                .sorted(Comparator.comparing(ScheduledJob::nextFire, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    @Override
    public List<String> schedulerProblems() throws SQLException {
        SchedulerStatus status = scheduler();
        if (status.neverStarted()) {
            return List.of("it has never run, so nothing is scheduled (systemctl enable --now athanor-scheduler)");
        }
        return status.problems();
    }

    @Override
    public Optional<String> checkStorage() {
        if (unusable != null) {
            return Optional.of(unusable.getMessage());
        }
        try {
            backups.checkStorage();
            return Optional.empty();
        } catch (StorageException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Where backups go, for people. */
    String describeStorage() {
        return backups == null ? "" : backups.describeStorage();
    }

    @Override
    public void close() {
        if (backups != null) {
            backups.close();
        }
    }

    private BackupOverview overview() throws BackupException {
        if (unusable != null) {
            throw unusable;
        }
        if (overview == null) {
            overview = backups.overview();
        }
        return overview;
    }

    private SchedulerStatus scheduler() throws SQLException {
        if (scheduler == null) {
            SchedulerFactory settings = configuration.getScheduler();
            try (DatabaseServer server = configuration.getDatabase().start()) {
                DataSource dataSource = server.dataSource("athanor-ops-status");
                dataSource.setLoginTimeout(5);
                scheduler = SchedulerStatus.read(dataSource, settings.getInstanceName(),
                        settings.getMisfireThreshold(), settings.getCheckinInterval(), Instant.now());
            } catch (SQLException e) {
                throw e;
            } catch (Exception e) {
                throw new SQLException("the scheduler's tables could not be read: " + e.getMessage(), e);
            }
        }
        if (!scheduler.readable()) {
            throw new SQLException(String.join("; ", scheduler.problems()));
        }
        return scheduler;
    }
}
