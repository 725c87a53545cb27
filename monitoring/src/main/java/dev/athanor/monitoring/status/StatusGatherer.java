package dev.athanor.monitoring.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.common.Durations;
import dev.athanor.monitoring.DiskSpace;
import dev.athanor.monitoring.DiskSpaceLimit;
import dev.athanor.monitoring.alerts.Alerts;
import dev.athanor.monitoring.backups.BackupStatusSource;
import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.certificates.CertificateStanding;
import dev.athanor.monitoring.certificates.CertificatesFactory;
import dev.athanor.monitoring.health.HealthReport;
import dev.athanor.monitoring.health.HealthState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Collects a {@link ServerStatus}: every part is read independently and bounded in time, and a part that cannot be
 * read becomes a problem in the report, never a failure of the whole. The database part comes from the caller (the
 * monitoring module does not know the site's database code).
 */
public final class StatusGatherer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Duration timeout;

    public StatusGatherer(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * @param health one round of {@code ops health}
     * @param adminUrl the admin port's base URL, for the release and uptime; empty when unknown
     * @param directories the directories whose disks matter, by name (data, logs)
     */
    public ServerStatus gather(HealthReport health, Optional<String> adminUrl, BackupStatusSource backups,
            CertificatesFactory certificates, Map<String, Path> directories, DiskSpaceLimit limit,
            Supplier<ServerStatus.Database> database, Alerts alerts) {
        List<String> problems = new ArrayList<>();
        Instant now = clock.instant();
        ServerStatus.Site site = site(health, adminUrl);
        if (site.state() != HealthState.UP) {
            problems.add("site " + site.state() + ": " + site.summary());
        }
        ServerStatus.Backups backupPart = backups(backups, now, problems);
        List<ServerStatus.Certificate> certificatePart = certificates(certificates, now, problems);
        List<ServerStatus.Disk> disks = new ArrayList<>();
        directories.forEach((name, directory) -> {
            try {
                DiskSpace.Reading reading = DiskSpace.measure(directory);
                String shortfall = limit.shortfall(reading).orElse(null);
                if (shortfall != null) {
                    problems.add("disk " + name + ": " + shortfall);
                }
                disks.add(new ServerStatus.Disk(name, directory.toString(), reading.usableBytes(),
                        reading.totalBytes(), shortfall));
            } catch (IOException e) {
                problems.add("disk " + name + ": " + e.getMessage());
                disks.add(new ServerStatus.Disk(name, directory.toString(), 0, 0, e.getMessage()));
            }
        });
        ServerStatus.Database databasePart = database.get();
        if (databasePart.problem() != null) {
            problems.add("database: " + databasePart.problem());
        }
        ServerStatus.AlertsSeen alertPart = new ServerStatus.AlertsSeen(alerts.recent(), alerts.openProblems(),
                alerts.pendingCount(), alerts.destinations());
        alertPart.open().values().forEach(subject -> problems.add("open alert: " + subject));
        if (alertPart.pending() > 0) {
            problems.add(alertPart.pending() + " alert(s) not delivered yet (mail server?)");
        }
        return new ServerStatus(now, site, backupPart, certificatePart, disks, memory(), databasePart, alertPart,
                problems.stream().distinct().toList(), null, null);
    }

    private ServerStatus.Site site(HealthReport health, Optional<String> adminUrl) {
        String version = null;
        Duration uptime = null;
        if (adminUrl.isPresent()) {
            try {
                HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(timeout).build().send(
                        HttpRequest.newBuilder(URI.create(adminUrl.get() + "/metrics")).timeout(timeout).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode gauges = JSON.readTree(response.body()).path("gauges");
                JsonNode versionGauge = gauges.path("dev.athanor.version").path("value");
                version = versionGauge.isMissingNode() ? null : versionGauge.asText();
                JsonNode uptimeGauge = gauges.path("jvm.attribute.uptime").path("value");
                uptime = uptimeGauge.isMissingNode() ? null : Duration.ofMillis(uptimeGauge.asLong());
            } catch (IOException | RuntimeException e) {
                // the health summary already says the admin port is silent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new ServerStatus.Site(health.state(), health.summary(), version, uptime, serverUptime());
    }

    private static ServerStatus.Backups backups(BackupStatusSource source, Instant now, List<String> problems) {
        Optional<String> notConfigured = source.notConfigured();
        if (notConfigured.isPresent()) {
            return new ServerStatus.Backups(notConfigured.get(), null, null, null, List.of(), null, null);
        }
        List<String> schedulerProblems = new ArrayList<>();
        List<BackupStatusSource.ScheduledJob> jobs;
        try {
            jobs = source.nextJobs();
            source.schedulerProblems().forEach(problem -> schedulerProblems.add("scheduler: " + problem));
        } catch (Exception e) {
            jobs = List.of();
            schedulerProblems.add("scheduler: " + e.getMessage());
        }
        try {
            BackupStatusSource.LastBackup last = source.lastBackup().orElse(null);
            Duration age = last == null ? null : Duration.between(last.finishedAt(), now);
            if (last == null) {
                problems.add("no backup yet (ops backup run)");
            } else if (age.compareTo(source.maxAge()) > 0) {
                problems.add("last backup is " + Durations.human(age) + " old");
            }
            BackupStatusSource.FailedAttempt failed = source.failedSince().orElse(null);
            if (failed != null) {
                problems.add("the last backup attempt, " + failed.id() + ", failed: " + failed.reason());
            }
            BackupStatusSource.RestoreTest test = source.lastRestoreTest().orElse(null);
            if (test != null && !test.passed()) {
                problems.add("the last restore test failed: " + test.detail());
            }
            return new ServerStatus.Backups(null, last, age, test, jobs, null, failed);
        } catch (Exception e) {
            problems.add("backups: " + e.getMessage());
            return new ServerStatus.Backups(null, null, null, null, jobs, String.valueOf(e.getMessage()), null);
        } finally {
            problems.addAll(schedulerProblems);
        }
    }

    private static List<ServerStatus.Certificate> certificates(CertificatesFactory settings, Instant now,
            List<String> problems) {
        List<ServerStatus.Certificate> certificates = new ArrayList<>();
        try {
            for (CertificateFiles files : settings.managed()) {
                Optional<List<X509Certificate>> chain = files.currentChain();
                if (chain.isEmpty()) {
                    certificates.add(new ServerStatus.Certificate(files.name(), null, "missing",
                            "no certificate installed"));
                    problems.add("certificate " + files.name() + ": none installed");
                    continue;
                }
                CertificateStanding standing = settings.standing(CertificateDetails.of(chain.get().get(0)),
                        files.state(), now);
                certificates.add(new ServerStatus.Certificate(files.name(), standing.daysLeft(),
                        standing.level().name().toLowerCase(java.util.Locale.ROOT), standing.describe()));
                if (standing.level().isProblem()) {
                    problems.add("certificate " + files.name() + ": " + standing.describe());
                }
            }
        } catch (IOException e) {
            problems.add("certificates: " + e.getMessage());
        }
        return certificates;
    }

    private static ServerStatus.Memory memory() {
        Map<String, Long> info = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                String[] parts = line.split(":\\s+");
                if (parts.length == 2) {
                    info.put(parts[0], Long.parseLong(parts[1].replace(" kB", "").strip()) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: zeros
        }
        return new ServerStatus.Memory(info.getOrDefault("MemTotal", 0L), info.getOrDefault("MemAvailable", 0L),
                info.getOrDefault("SwapTotal", 0L), info.getOrDefault("SwapFree", 0L));
    }

    private static Duration serverUptime() {
        try {
            String seconds = Files.readString(Path.of("/proc/uptime")).split("\\s+")[0];
            return Duration.ofMillis((long) (Double.parseDouble(seconds) * 1000));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
