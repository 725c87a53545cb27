package dev.athanor.monitoring.status;

import dev.athanor.monitoring.alerts.Alerts;
import dev.athanor.monitoring.backups.BackupStatusSource;
import dev.athanor.monitoring.health.HealthState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code ops status} shows on one screen, and the problems among it: the answer to "is everything fine?".
 * Each part carries its own {@code problem} (null when fine) when reading it failed; {@code pitr} is null until
 * gathered ({@link #withPitr}), {@code captions} until gathered ({@link #withCaptions}).
 */
public record ServerStatus(Instant at, Site site, Backups backups, List<Certificate> certificates, List<Disk> disks,
        Memory memory, Database database, AlertsSeen alerts, List<String> problems, Pitr pitr, Captions captions) {

    /** The site's health, release and uptime (from its admin port), and this server's uptime. */
    public record Site(HealthState state, String summary, String version, Duration uptime, Duration serverUptime) {
    }

    /**
     * The newest backup and its age, the newest restore test, the scheduler's next jobs, and the last attempt when it
     * failed after the newest backup ({@code lastFailure}, null otherwise).
     */
    public record Backups(String notConfigured, BackupStatusSource.LastBackup last, Duration lastAge,
            BackupStatusSource.RestoreTest restoreTest, List<BackupStatusSource.ScheduledJob> nextJobs,
            String problem, BackupStatusSource.FailedAttempt lastFailure) {
    }

    /**
     * One managed certificate.
     *
     * @param daysLeft whole days until expiry as {@code ops certs check} and {@code ops certs status} count them
     *     ({@link dev.athanor.monitoring.certificates.CertificateStanding#daysLeft()}); null when none is installed
     */
    public record Certificate(String name, Long daysLeft, String standing, String description) {
    }

    public record Disk(String name, String directory, long usableBytes, long totalBytes, String problem) {
    }

    /** From /proc/meminfo; zeros where it cannot be read. */
    public record Memory(long totalBytes, long availableBytes, long swapTotalBytes, long swapFreeBytes) {
    }

    public record Database(String server, long sizeBytes, int connections, int maxConnections, String problem) {
    }

    /** The last messages sent, the problems still open, and messages waiting to be delivered again. */
    public record AlertsSeen(List<Alerts.SentAlert> recent, Map<String, String> open, int pending,
            List<String> destinations) {
    }

    /**
     * Point-in-time recovery: the write-ahead log's archiving, the recovery window and the last restore drill.
     *
     * @param setUp {@code ops pitr setup} has run
     * @param archive the archive's standing in words ("archiving off", the lag and the last archived segment)
     * @param lag how long the oldest segment not yet archived has waited; zero when none waits or unknown
     * @param window the oldest and newest restorable moments in words; null when not set up or unknown
     * @param drill the last restore drill in words; null when none ran
     */
    public record Pitr(boolean setUp, String archive, Duration lag, String window, String drill) {
    }

    /**
     * The lessons whose video has no captions (learners who cannot hear it cannot follow them): a reminder, not a
     * problem.
     *
     * @param lessons "course/lesson" of each, in catalogue order
     * @param problem why they could not be counted (the database is down, say); null when they were
     */
    public record Captions(List<String> lessons, String problem) {
    }

    /** The same status with its captions part (gathered by ops, from the site's database). */
    public ServerStatus withCaptions(Captions part) {
        return new ServerStatus(at, site, backups, certificates, disks, memory, database, alerts, problems, pitr,
                part);
    }

    /** The same status with its point-in-time recovery part, and that part's problems (gathered by ops). */
    public ServerStatus withPitr(Pitr part, List<String> pitrProblems) {
        List<String> more = new java.util.ArrayList<>(problems);
        more.addAll(pitrProblems);
        return new ServerStatus(at, site, backups, certificates, disks, memory, database, alerts, List.copyOf(more),
                part, captions);
    }

    /** The same status with one more problem, for what is gathered elsewhere (maintenance mode, from nginx's side). */
    public ServerStatus withProblem(String problem) {
        List<String> more = new java.util.ArrayList<>(problems);
        more.add(problem);
        return new ServerStatus(at, site, backups, certificates, disks, memory, database, alerts, List.copyOf(more),
                pitr, captions);
    }

    /** True when nothing needs the operator's attention. */
    public boolean allGood() {
        return problems.isEmpty();
    }
}
