package dev.athanor.monitoring.status;

import dev.athanor.common.Durations;
import dev.athanor.common.Sizes;
import dev.athanor.monitoring.backups.BackupStatusSource;
import dev.athanor.monitoring.health.HealthHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The weekly "all green" mail: sent whether or not anything is wrong, so that silence is never mistaken for health. It
 * says how the week went (availability and outages from the health watch's history), the last backup and restore
 * test, the certificates, the disk and its trend, and anything that needs attention now.
 *
 * @param status the server now
 * @param week the health watch's account of the last seven days
 * @param diskWeekAgo the data disk's sample from about a week ago, if there is one
 */
public record WeeklyDigest(ServerStatus status, HealthHistory.Summary week, Optional<DiskHistory.Sample> diskWeekAgo) {

    public String subject() {
        return status.allGood() ? "weekly: all green" : "weekly: " + status.problems().size()
                + " thing(s) need attention";
    }

    public String body() {
        StringBuilder text = new StringBuilder();
        if (status.allGood()) {
            text.append("All green: nothing needs your attention.\n\n");
        } else {
            text.append("Needs attention:\n");
            status.problems().forEach(problem -> text.append("  - ").append(problem).append('\n'));
            text.append('\n');
        }
        text.append("Site, the last 7 days\n");
        if (week.observed().isZero()) {
            text.append("  no health history: is athanor-health-watch running? (systemctl status"
                    + " athanor-health-watch)\n");
        } else {
            text.append(String.format(Locale.ROOT, "  %.3f%% available over %s watched; %d outage(s), longest %s;"
                    + " degraded %s%n", week.availabilityPercent(), Durations.human(week.observed()), week.outages(),
                    Durations.human(week.longestOutage()), Durations.human(week.degraded())));
        }
        text.append("  now ").append(status.site().state()).append(": ").append(status.site().summary())
                .append('\n');
        text.append("\nBackups\n");
        ServerStatus.Backups backups = status.backups();
        if (backups.notConfigured() != null) {
            text.append("  ").append(backups.notConfigured()).append('\n');
        } else if (backups.problem() != null) {
            text.append("  could not be read: ").append(backups.problem()).append('\n');
        } else if (backups.last() == null) {
            text.append("  no backup yet\n");
        } else {
            BackupStatusSource.LastBackup last = backups.last();
            text.append("  last ").append(last.id()).append(" (").append(last.kind()).append(", ")
                    .append(Sizes.human(last.bytes())).append(") ").append(Durations.human(backups.lastAge()))
                    .append(" ago, ").append(last.verified() ? "verified" : "not verified").append('\n');
            BackupStatusSource.RestoreTest test = backups.restoreTest();
            text.append("  restore test: ").append(test == null ? "none yet" : test.at() + " of " + test.backupId()
                    + ": " + (test.passed() ? "passed" : "FAILED: " + test.detail())).append('\n');
        }
        if (backups.lastFailure() != null) {
            text.append("  last attempt ").append(backups.lastFailure().id()).append(" FAILED: ")
                    .append(backups.lastFailure().reason()).append('\n');
        }
        for (BackupStatusSource.ScheduledJob job : backups.nextJobs()) {
            text.append("  next ").append(job.name()).append(": ").append(job.nextFire() == null ? "not scheduled"
                    : job.nextFire()).append(job.lastOutcome() == null ? "" : " (last run " + job.lastOutcome()
                            + ")").append('\n');
        }
        pitr(text);
        text.append("\nCertificates\n");
        if (status.certificates().isEmpty()) {
            text.append("  none managed\n");
        }
        status.certificates().forEach(certificate -> text.append("  ").append(certificate.name()).append(": ")
                .append(certificate.description()).append('\n'));
        text.append("\nDisk\n");
        for (ServerStatus.Disk disk : status.disks()) {
            text.append("  ").append(disk.name()).append(": ").append(Sizes.human(disk.usableBytes()))
                    .append(" free of ").append(Sizes.human(disk.totalBytes())).append('\n');
        }
        status.disks().stream().filter(disk -> disk.name().equals("data")).findFirst()
                .ifPresent(data -> text.append("  ").append(trend(data)).append('\n'));
        text.append("\nDatabase: ").append(status.database().problem() != null ? status.database().problem()
                : Sizes.human(status.database().sizeBytes())).append('\n');
        text.append("\nThis mail comes every week. If it stops coming, the server or its mail is in trouble.\n");
        return text.toString();
    }

    private void pitr(StringBuilder text) {
        ServerStatus.Pitr pitr = status.pitr();
        if (pitr == null) {
            return;
        }
        text.append("\nPoint-in-time recovery\n");
        if (!pitr.setUp()) {
            text.append("  not set up (ops pitr setup); ").append(pitr.archive()).append('\n');
            return;
        }
        text.append("  window: ").append(pitr.window() == null ? "unknown" : pitr.window()).append('\n');
        text.append("  archive: ").append(pitr.archive()).append('\n');
        text.append("  restore ").append(pitr.drill() == null ? "drill: none yet" : pitr.drill()).append('\n');
    }

    private String trend(ServerStatus.Disk data) {
        if (diskWeekAgo.isEmpty()) {
            return "trend: no earlier sample yet (next week's digest will have one)";
        }
        DiskHistory.Sample before = diskWeekAgo.get();
        Duration between = Duration.between(before.at(), status.at());
        long used = before.usableBytes() - data.usableBytes();
        String change = used >= 0 ? Sizes.human(used) + " used" : Sizes.human(-used) + " freed";
        if (used <= 0 || between.isZero()) {
            return "trend: " + change + " in " + Durations.human(between);
        }
        long weeksLeft = data.usableBytes() / Math.max(1, used * Duration.ofDays(7).toSeconds()
                / Math.max(1, between.toSeconds()));
        return "trend: " + change + " in " + Durations.human(between) + "; at this rate full in about "
                + weeksLeft + " week(s)";
    }

    /** A week ago from {@code now}. */
    public static Instant weekBefore(Instant now) {
        return now.minus(Duration.ofDays(7));
    }
}
