package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.alerts.Delivery;
import dev.athanor.monitoring.health.HealthHistory;
import dev.athanor.monitoring.status.DiskHistory;
import dev.athanor.monitoring.status.ServerStatus;
import dev.athanor.monitoring.status.WeeklyDigest;
import dev.athanor.ops.shared.ConfigOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ops digest [--send]}: the weekly summary ("all green", or what needs attention) that goes out even when
 * nothing is wrong. The scheduler's {@code digest} job sends it weekly through {@link #compose}; without
 * {@code --send} it only prints.
 */
@Command(name = "digest", description = {"The weekly summary: the week's availability, backups and restore test,"
        + " certificates, disk trend, and what needs attention.", "Prints it; with --send, mails it through the"
        + " alert sender (the scheduler runs that weekly)."})
public final class DigestCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--send", description = "Send it to the alert recipients (and the webhook) as well.")
    private boolean send;

    @Override
    public Integer call() throws Exception {
        AthanorConfiguration configuration = config.load();
        PrintWriter out = spec.commandLine().getOut();
        WeeklyDigest digest = compose(configuration, warning -> spec.commandLine().getErr().println("ops: "
                + warning));
        out.println("Subject: " + digest.subject());
        out.println();
        out.print(digest.body());
        if (send) {
            Delivery delivery = configuration.getAlerts().build(configuration.getSmtp()).report(digest.subject(),
                    digest.body());
            out.println();
            out.println("Sent: " + delivery.name().toLowerCase(java.util.Locale.ROOT));
        }
        out.flush(); // print does not flush, and ops exits right after
        return 0;
    }

    /**
     * The digest as of now, from the server's status and the health watch's history; keeps this run's sample of the
     * data disk for next week's trend ({@code warn} hears when it cannot).
     */
    public static WeeklyDigest compose(AthanorConfiguration configuration, Consumer<String> warn) throws IOException {
        ServerStatus status = StatusCommand.gather(configuration);
        java.nio.file.Path state = configuration.getMonitoring().getStateDirectory();
        HealthHistory.Summary week = new HealthHistory(state).summarize(WeeklyDigest.weekBefore(status.at()),
                status.at());
        DiskHistory disks = new DiskHistory(state);
        WeeklyDigest digest = new WeeklyDigest(status, week, disks.closestTo(WeeklyDigest.weekBefore(status.at()),
                status.at()));
        status.disks().stream().filter(disk -> disk.name().equals("data") && disk.problem() == null).findFirst()
                .ifPresent(data -> {
                    try {
                        disks.record(new DiskHistory.Sample(status.at(), data.usableBytes(), data.totalBytes()));
                    } catch (IOException e) {
                        warn.accept("could not record the disk sample: " + e.getMessage());
                    }
                });
        return digest;
    }
}
