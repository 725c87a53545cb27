package dev.athanor.ops.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.athanor.AthanorConfiguration;
import dev.athanor.common.Durations;
import dev.athanor.common.Sizes;
import dev.athanor.monitoring.health.HealthProbe;
import dev.athanor.monitoring.health.HealthReport;
import dev.athanor.monitoring.status.ServerStatus;
import dev.athanor.monitoring.status.StatusGatherer;
import dev.athanor.ops.nginx.MaintenanceCommand;
import dev.athanor.ops.nginx.NginxControl;
import dev.athanor.ops.nginx.NginxException;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ops status}: one screen that answers "is everything fine": the site, backups, certificates, disk, memory, the
 * database and the last alerts, with the problems first. Exit 0 when all is well, 1 when something needs attention.
 */
@Command(name = "status", description = {"One screen: site health and version, uptime, backups, next jobs,"
        + " point-in-time recovery, certificates, disk, memory, database, lessons without captions, last alerts.", "Exit 0 all good, 1 when something needs attention."})
public final class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        AthanorConfiguration configuration = config.load();
        ServerStatus status = gather(configuration);
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            out.println(new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS).writeValueAsString(status));
        } else {
            print(status, out, Terminal.detect(), TIME.withZone(ZoneId.systemDefault()));
        }
        return status.allGood() ? 0 : 1;
    }

    static ServerStatus gather(AthanorConfiguration configuration) {
        Duration timeout = configuration.getMonitoring().getTimeout();
        Optional<String> admin = SiteAddresses.adminUrl(configuration);
        HealthReport health = new HealthProbe(timeout, Clock.systemUTC()).probe(SiteAddresses.healthUrls(
                configuration), admin.map(base -> URI.create(base + "/healthcheck")));
        Map<String, java.nio.file.Path> directories = new LinkedHashMap<>();
        directories.put("data", configuration.getStorage().getDataDirectory());
        directories.put("logs", configuration.getStorage().getLogDirectory());
        ServerStatus status;
        try (BackupStatus backups = BackupStatus.of(configuration)) {
            status = new StatusGatherer(Clock.systemUTC(), timeout).gather(health, admin, backups,
                    configuration.getCertificates(), directories, configuration.getStorage().diskSpaceLimit(),
                    () -> DatabaseStats.read(configuration), configuration.getAlerts().build(configuration.getSmtp()));
        }
        status = PitrOverview.addTo(status, configuration).withCaptions(CaptionGaps.read(configuration));
        return maintenance(configuration).map(status::withProblem).orElse(status);
    }

    /** Maintenance mode when it is on: visitors see the maintenance page, which needs the operator's attention. */
    static Optional<String> maintenance(AthanorConfiguration configuration) {
        try {
            return NginxControl.of(configuration).maintenance().map(MaintenanceCommand::describe);
        } catch (NginxException e) {
            return Optional.of("maintenance mode unknown: " + e.getMessage());
        }
    }

    private static void print(ServerStatus status, PrintWriter out, Terminal terminal, DateTimeFormatter time) {
        out.println(terminal.paint(Terminal.BOLD, "Athanor status at " + time.format(status.at())) + "   "
                + (status.allGood() ? terminal.paint(Terminal.GREEN, "ALL GOOD")
                        : terminal.paint(Terminal.RED, status.problems().size() + " PROBLEM(S)")));
        status.problems().forEach(problem -> out.println("  " + terminal.paint(Terminal.RED, "!") + " " + problem));
        out.println();
        ServerStatus.Site site = status.site();
        row(out, "Site", terminal.bySeverity(site.state().name(), site.state().name()) + "  " + site.summary()
                + (site.version() == null ? "" : "; release " + site.version())
                + (site.uptime() == null ? "" : "; up " + Durations.human(site.uptime()))
                + (site.serverUptime() == null ? "" : "; server up " + Durations.human(site.serverUptime())));
        ServerStatus.Backups backups = status.backups();
        if (backups.notConfigured() != null) {
            row(out, "Backups", backups.notConfigured());
        } else {
            if (backups.problem() != null) {
                row(out, "Backups", terminal.paint(Terminal.RED, backups.problem()));
            } else {
                row(out, "Backups", backups.last() == null ? "none yet" : "last " + Durations.human(
                        backups.lastAge()) + " ago (" + backups.last().kind() + ", " + Sizes.human(
                                backups.last().bytes()) + ", " + (backups.last().verified() ? "verified"
                                        : "not verified") + ")"
                        + (backups.restoreTest() == null ? "; no restore test yet" : "; restore test "
                                + time.format(backups.restoreTest().at()) + " "
                                + (backups.restoreTest().passed() ? "passed" : "FAILED")));
            }
            if (backups.lastFailure() != null) {
                row(out, "Backups", terminal.paint(Terminal.RED, "last attempt " + time.format(
                        backups.lastFailure().startedAt()) + " failed: " + backups.lastFailure().reason()));
            }
            backups.nextJobs().forEach(job -> row(out, "Next job", job.name() + " at " + (job.nextFire() == null
                    ? "-" : time.format(job.nextFire())) + (job.lastOutcome() == null ? ""
                            : " (last: " + job.lastOutcome() + ")")));
        }
        ServerStatus.Pitr pitr = status.pitr();
        if (pitr != null) {
            row(out, "PITR", (pitr.setUp() ? "" : "not set up (ops pitr setup); ") + pitr.archive());
            if (pitr.window() != null) {
                row(out, "PITR", "window " + pitr.window());
            }
            if (pitr.drill() != null) {
                row(out, "PITR", pitr.drill());
            }
        }
        if (status.certificates().isEmpty()) {
            row(out, "Certs", "none managed (certificates.domains)");
        }
        status.certificates().forEach(certificate -> row(out, "Cert", certificate.name() + ": "
                + terminal.bySeverity(certificate.standing().equals("fresh") || certificate.standing().equals("due")
                        ? "OK" : "ERROR", certificate.description())));
        status.disks().forEach(disk -> row(out, "Disk " + disk.name(), disk.problem() != null
                ? terminal.paint(Terminal.RED, disk.problem()) : Sizes.human(disk.usableBytes()) + " free of "
                        + Sizes.human(disk.totalBytes()) + " on " + disk.directory()));
        ServerStatus.Memory memory = status.memory();
        row(out, "Memory", Sizes.human(memory.availableBytes()) + " available of " + Sizes.human(
                memory.totalBytes()) + (memory.swapTotalBytes() == 0 ? ", no swap" : "; swap "
                        + Sizes.human(memory.swapTotalBytes() - memory.swapFreeBytes()) + " used of "
                        + Sizes.human(memory.swapTotalBytes())));
        ServerStatus.Database database = status.database();
        row(out, "Database", database.problem() != null ? terminal.paint(Terminal.RED, database.problem())
                : Sizes.human(database.sizeBytes()) + ", " + database.connections() + " of "
                        + database.maxConnections() + " connections (" + database.server() + ")");
        if (status.captions() != null) {
            row(out, "Captions", CaptionGaps.describe(status.captions()));
        }
        ServerStatus.AlertsSeen alerts = status.alerts();
        if (alerts.recent().isEmpty()) {
            row(out, "Alerts", "none sent; they go to " + String.join(", ", alerts.destinations()));
        }
        alerts.recent().stream().limit(5).forEach(alert -> row(out, "Alert", time.format(alert.at()) + " "
                + alert.subject()));
    }

    private static void row(PrintWriter out, String label, String text) {
        out.printf("%-10s %s%n", label, text);
    }

    static String age(Instant then, Instant now) {
        return Durations.human(Duration.between(then, now)) + " ago";
    }
}
