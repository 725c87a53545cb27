package dev.athanor.ops.deploy;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.alerts.AlertKey;
import dev.athanor.monitoring.alerts.Alerts;
import dev.athanor.monitoring.deploy.DeployFactory;
import dev.athanor.ops.SiteParts;
import dev.athanor.ops.shared.ConfigOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** What {@code ops deploy} and {@code ops rollback} share: the install directory, the instances, nginx, alerts. */
final class DeployContext {

    static final AlertKey ALERT = AlertKey.of("deploy", "failed");

    final AthanorConfiguration configuration;
    final ConfigOption config;
    final DeployFactory settings;
    final ReleaseStore store;
    final Instances instances;
    final Traffic traffic;
    final Handover handover;
    final Consumer<String> step;

    DeployContext(ConfigOption config, PrintWriter out, boolean quiet) throws Exception {
        this.config = config;
        this.configuration = config.load();
        this.settings = configuration.getDeploy();
        this.store = new ReleaseStore(settings.getDirectory());
        Path installDirectory = store.directory();
        this.instances = settings.getMode() == DeployFactory.Mode.SYSTEMD
                ? new SystemdInstances(settings)
                : new LocalInstances(settings, installDirectory, config.file());
        this.traffic = new Traffic(configuration);
        this.step = quiet ? line -> { } : line -> {
            out.println(line);
            out.flush();
        };
        this.handover = new Handover(settings, store, instances, traffic, step);
    }

    /** The pages most visited this week, or none when the database cannot say. */
    List<String> topPaths() {
        try (SiteParts site = SiteParts.open(config)) {
            return site.events().topPages(7, 20);
        } catch (Exception e) {
            step.accept("(warming the front pages only: the page statistics cannot be read: " + e.getMessage() + ")");
            return List.of();
        }
    }

    void alert(String subject, String body) {
        try {
            Alerts alerts = configuration.getAlerts().build(configuration.getSmtp());
            alerts.raise(ALERT, subject, body);
        } catch (RuntimeException e) {
            step.accept("(the alert could not be sent: " + e.getMessage() + ")");
        }
    }

    void resolveAlert(String subject) {
        try {
            configuration.getAlerts().build(configuration.getSmtp()).resolve(ALERT, subject, subject);
        } catch (RuntimeException e) {
            step.accept("(the alert state could not be updated: " + e.getMessage() + ")");
        }
    }
}
