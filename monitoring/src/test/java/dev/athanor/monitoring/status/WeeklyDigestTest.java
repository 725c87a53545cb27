package dev.athanor.monitoring.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.monitoring.DiskSpaceLimit;
import dev.athanor.monitoring.alerts.Alerts;
import dev.athanor.monitoring.alerts.AlertsFactory;
import dev.athanor.monitoring.backups.BackupStatusSource;
import dev.athanor.monitoring.certificates.CertificatesFactory;
import dev.athanor.monitoring.health.HealthHistory;
import dev.athanor.monitoring.health.HealthReport;
import dev.athanor.monitoring.health.HealthState;
import dev.athanor.monitoring.mail.SmtpFactory;
import dev.athanor.monitoring.testing.MutableClock;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ops status} and the weekly digest over what the backups side records, the health history and the disk. */
class WeeklyDigestTest {

    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(NOW);

    /** What the backups side will record, kept in memory: the real interface, a real implementation. */
    static final class RecordedBackups implements BackupStatusSource {
        final List<LastBackup> backups = new ArrayList<>();
        final List<RestoreTest> tests = new ArrayList<>();
        final List<ScheduledJob> jobs = new ArrayList<>();
        final List<String> schedulerProblems = new ArrayList<>();
        String notConfigured;
        String unreadable;

        @Override
        public Optional<String> notConfigured() {
            return Optional.ofNullable(notConfigured);
        }

        @Override
        public Optional<LastBackup> lastBackup() throws java.io.IOException {
            if (unreadable != null) {
                throw new java.io.IOException(unreadable);
            }
            return backups.stream().max(java.util.Comparator.comparing(LastBackup::finishedAt));
        }

        @Override
        public Optional<RestoreTest> lastRestoreTest() {
            return tests.stream().max(java.util.Comparator.comparing(RestoreTest::at));
        }

        @Override
        public List<ScheduledJob> nextJobs() {
            return jobs.stream().sorted(java.util.Comparator.comparing(ScheduledJob::nextFire)).toList();
        }

        @Override
        public List<String> schedulerProblems() {
            return schedulerProblems;
        }

        @Override
        public Optional<String> checkStorage() {
            return Optional.empty();
        }
    }

    @Test
    void allGreenWhenTheLastBackupIsRecentAndVerifiedAndTheWeekWasQuiet() throws Exception {
        RecordedBackups backups = new RecordedBackups();
        backups.backups.add(new BackupStatusSource.LastBackup("2026-11-28T03-00", "daily",
                NOW.minus(Duration.ofHours(29)), 50_000_000, true, true));
        backups.backups.add(new BackupStatusSource.LastBackup("2026-11-29T03-00", "daily",
                NOW.minus(Duration.ofHours(5)), 52_428_800, true, true));
        backups.tests.add(new BackupStatusSource.RestoreTest("2026-11-28T03-00", NOW.minus(Duration.ofDays(1)), true,
                "12 tables, row counts equal"));
        backups.jobs.add(new BackupStatusSource.ScheduledJob("daily-backup", NOW.plus(Duration.ofHours(19)),
                NOW.minus(Duration.ofHours(5)), "succeeded"));
        HealthHistory history = new HealthHistory(temp.resolve("monitoring"));
        history.record(new HealthHistory.Change(NOW.minus(Duration.ofDays(10)), HealthState.UP, "all healthy"));
        history.record(new HealthHistory.Change(NOW.minus(Duration.ofDays(2)), HealthState.DOWN, "503"));
        history.record(new HealthHistory.Change(NOW.minus(Duration.ofDays(2)).plus(Duration.ofMinutes(12)),
                HealthState.UP, "all healthy"));
        DiskHistory disks = new DiskHistory(temp.resolve("monitoring"));
        ServerStatus status = status(backups);
        long usable = status.disks().get(0).usableBytes();
        disks.record(new DiskHistory.Sample(NOW.minus(Duration.ofDays(7)), usable + 1_073_741_824L,
                status.disks().get(0).totalBytes()));

        WeeklyDigest digest = new WeeklyDigest(status, history.summarize(NOW.minus(Duration.ofDays(7)), NOW),
                disks.closestTo(NOW.minus(Duration.ofDays(7)), NOW));

        assertThat(status.problems()).isEmpty();
        assertThat(status.backups().nextJobs()).extracting(BackupStatusSource.ScheduledJob::name)
                .containsExactly("daily-backup");
        assertThat(digest.subject()).isEqualTo("weekly: all green");
        assertThat(digest.body()).startsWith("All green: nothing needs your attention.")
                .contains("99.881% available over 7 days watched; 1 outage(s), longest 12 min")
                .contains("last 2026-11-29T03-00 (daily, 50.0 MiB) 5 h ago, verified")
                .contains("restore test: 2026-11-28T08:00:00Z of 2026-11-28T03-00: passed")
                .contains("next daily-backup: 2026-11-30T03:00:00Z (last run succeeded)")
                .contains("trend: 1.0 GiB used in 7 days; at this rate full in about");
    }

    @Test
    void aStaleBackupAFailedRestoreTestAndADownSiteAreNamed() throws Exception {
        RecordedBackups backups = new RecordedBackups();
        backups.backups.add(new BackupStatusSource.LastBackup("2026-11-27T03-00", "daily",
                NOW.minus(Duration.ofHours(53)), 52_428_800, false, true));
        backups.tests.add(new BackupStatusSource.RestoreTest("2026-11-27T03-00", NOW.minus(Duration.ofDays(1)), false,
                "table events: 10 rows, the manifest says 12"));

        ServerStatus status = status(backups, HealthReport.Endpoint.class.cast(new HealthReport.Endpoint(
                URI.create("http://127.0.0.1:8080/health"), 503, 3, "answered 503")));
        WeeklyDigest digest = new WeeklyDigest(status, new HealthHistory(temp).summarize(NOW.minus(Duration.ofDays(7)),
                NOW), Optional.empty());

        assertThat(status.problems()).containsExactly(
                "site DOWN: http://127.0.0.1:8080/health answered 503",
                "last backup is 2 days old",
                "the last restore test failed: table events: 10 rows, the manifest says 12");
        assertThat(digest.subject()).isEqualTo("weekly: 3 thing(s) need attention");
        assertThat(digest.body()).contains("  - last backup is 2 days old")
                .contains("no health history: is athanor-health-watch running?")
                .contains("trend: no earlier sample yet");
    }

    @Test
    void backupsNotSetUpYetIsSaidNotCountedAsAProblem() throws Exception {
        RecordedBackups backups = new RecordedBackups();
        backups.notConfigured = "not set up yet";
        ServerStatus status = status(backups);

        assertThat(status.backups().notConfigured()).isEqualTo("not set up yet");
        assertThat(status.problems()).isEmpty();
    }

    @Test
    void backupsThatCannotBeReadAreAProblemNotNoBackupAndTheSchedulerStillShows() throws Exception {
        RecordedBackups backups = new RecordedBackups();
        backups.unreadable = "could not list s3://backups/athanor/: Access Denied";
        backups.jobs.add(new BackupStatusSource.ScheduledJob("backup-daily", NOW.plus(Duration.ofHours(19)),
                NOW.minus(Duration.ofHours(5)), "failed"));
        backups.schedulerProblems.add("job backup-daily failed at 2026-11-29T03:30:00Z: Access Denied");

        ServerStatus status = status(backups);
        WeeklyDigest digest = new WeeklyDigest(status, new HealthHistory(temp).summarize(NOW.minus(Duration.ofDays(7)),
                NOW), Optional.empty());

        assertThat(status.problems()).containsExactly(
                "backups: could not list s3://backups/athanor/: Access Denied",
                "scheduler: job backup-daily failed at 2026-11-29T03:30:00Z: Access Denied");
        assertThat(status.backups().nextJobs()).extracting(BackupStatusSource.ScheduledJob::name)
                .containsExactly("backup-daily");
        assertThat(digest.body()).contains("  could not be read: could not list s3://backups/athanor/: Access Denied")
                .doesNotContain("no backup yet")
                .contains("next backup-daily: 2026-11-30T03:00:00Z (last run failed)");
    }

    @Test
    void pointInTimeRecoveryShowsItsWindowArchiveAndDrillAndAFailedDrillNeedsAttention() throws Exception {
        ServerStatus before = status(new RecordedBackups());
        ServerStatus status = before.withPitr(new ServerStatus.Pitr(true,
                "nothing waiting; last archived 000000010000000000000042 20 s ago", Duration.ZERO,
                "2026-11-15 04:15:03 UTC to 2026-11-29 07:59:41 UTC (14 days)",
                "drill 2026-11-29T05:30:00Z to mark 331 (2026-11-29T05:00:00Z) FAILED: 1 table(s) differ: public.learners:"
                        + " 12 at the mark, 11 restored (48 s)"),
                List.of("point-in-time recovery: the last restore drill failed"));
        WeeklyDigest digest = new WeeklyDigest(status, new HealthHistory(temp).summarize(NOW.minus(Duration.ofDays(7)),
                NOW), Optional.empty());

        assertThat(status.problems()).hasSize(before.problems().size() + 1)
                .endsWith("point-in-time recovery: the last restore drill failed");
        assertThat(digest.body()).contains("  - point-in-time recovery: the last restore drill failed\n").contains("""

                Point-in-time recovery
                  window: 2026-11-15 04:15:03 UTC to 2026-11-29 07:59:41 UTC (14 days)
                  archive: nothing waiting; last archived 000000010000000000000042 20 s ago
                  restore drill 2026-11-29T05:30:00Z to mark 331 (2026-11-29T05:00:00Z) FAILED: 1 table(s) differ:\
                 public.learners: 12 at the mark, 11 restored (48 s)
                """);

        ServerStatus without = status(new RecordedBackups()).withPitr(new ServerStatus.Pitr(false, "archiving off",
                Duration.ZERO, null, null), List.of());
        assertThat(without.problems()).isEqualTo(before.problems());
        assertThat(new WeeklyDigest(without, new HealthHistory(temp).summarize(NOW.minus(Duration.ofDays(7)), NOW),
                Optional.empty()).body()).contains("Point-in-time recovery\n  not set up (ops pitr setup);"
                        + " archiving off\n");
    }

    private ServerStatus status(BackupStatusSource backups, HealthReport.Endpoint... endpoints) throws Exception {
        List<HealthReport.Endpoint> answered = endpoints.length > 0 ? List.of(endpoints)
                : List.of(new HealthReport.Endpoint(URI.create("http://127.0.0.1:8080/health"), 200, 3, null));
        HealthReport health = new HealthReport(NOW, answered, List.of(new HealthReport.Check("database", true, "ok")),
                null);
        Alerts alerts = new AlertsFactory().withStateDirectory(temp.resolve("alerts")).build(new SmtpFactory(), clock);
        Files.createDirectories(temp.resolve("data"));
        return new StatusGatherer(clock, Duration.ofSeconds(1)).gather(health, Optional.empty(), backups,
                CertificatesFactory.fromMap(Map.of("directory", temp.resolve("certificates").toString())),
                Map.of("data", temp.resolve("data")), new DiskSpaceLimit(0, 0),
                () -> new ServerStatus.Database("test", 8_000_000, 3, 100, null), alerts);
    }
}
