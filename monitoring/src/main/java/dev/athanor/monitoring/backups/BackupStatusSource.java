package dev.athanor.monitoring.backups;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the backups side records, as {@code ops status}, {@code ops doctor} and the weekly digest read it. {@code ops}
 * implements it over the backup module (manifests in object storage, job runs in PostgreSQL, the Quartz scheduler),
 * which this module does not depend on. Implementations answer from what is recorded, quickly (status must stay fast),
 * and report a failure to read as an exception rather than as "no backup".
 */
public interface BackupStatusSource {

    /** The newest complete backup (one whose manifest exists). */
    record LastBackup(String id, String kind, Instant finishedAt, long bytes, boolean verified, boolean encrypted) {
    }

    /** The newest restore test ({@code ops backup verify}): which backup, when, and whether it passed. */
    record RestoreTest(String backupId, Instant at, boolean passed, String detail) {
    }

    /** A scheduled job: when it fires next, and how its last run went (null when it never ran). */
    record ScheduledJob(String name, Instant nextFire, Instant lastRun, String lastOutcome) {
    }

    /** A backup attempt that failed (pg_dump failed, the storage refused, or its process stopped before it finished). */
    record FailedAttempt(String id, String kind, Instant startedAt, Instant failedAt, String reason) {
    }

    /** Why there is nothing to report (backups not set up yet), or empty when backups are configured. */
    Optional<String> notConfigured();

    Optional<LastBackup> lastBackup() throws Exception;

    /**
     * How old the newest backup may be before it is a problem: the backup period plus its grace, the same limit the
     * site's backup-age check and the scheduler's watchdog use (default 1 day and 6 hours).
     */
    default java.time.Duration maxAge() {
        return java.time.Duration.ofHours(30);
    }

    Optional<RestoreTest> lastRestoreTest() throws Exception;

    /**
     * The newest failed attempt, when it is newer than the newest complete backup: the last attempt failed, a problem
     * until a backup succeeds.
     */
    default Optional<FailedAttempt> failedSince() throws Exception {
        return Optional.empty();
    }

    /** The scheduler's jobs by next fire time, soonest first; empty when no scheduler runs. */
    List<ScheduledJob> nextJobs() throws Exception;

    /**
     * What is wrong with the scheduler beyond the last backup and restore test (no node running, a job whose last run
     * failed, a store that fires nothing), one line each; empty when all is well.
     */
    default List<String> schedulerProblems() throws Exception {
        return List.of();
    }

    /**
     * Whether the backup storage takes our credentials (a HEAD on the bucket): empty when it does, else what went
     * wrong, for {@code ops doctor}.
     */
    Optional<String> checkStorage();
}
