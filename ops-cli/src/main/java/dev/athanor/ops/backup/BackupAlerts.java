package dev.athanor.ops.backup;

import dev.athanor.backup.AlertSink;
import dev.athanor.monitoring.alerts.AlertKey;
import dev.athanor.monitoring.alerts.Alerts;
import dev.athanor.monitoring.alerts.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backups' and the scheduler's alerts, sent through the monitoring module's alert sender (mail over the
 * {@code smtp} section, the webhook, de-duplicated with state on local disk), as every other alert is. The backup
 * module's keys become alert keys: {@code backup-failed} is ({@code backup}, {@code failed}), {@code job-NAME} is
 * ({@code job NAME}, {@code failed}).
 */
final class BackupAlerts implements AlertSink {

    private static final Logger LOGGER = LoggerFactory.getLogger("dev.athanor.alerts");

    private final Alerts alerts;

    BackupAlerts(Alerts alerts) {
        this.alerts = alerts;
    }

    @Override
    public void raise(String key, String subject, String body) {
        Delivery delivery = alerts.raise(key(key), subject, body);
        LOGGER.info("Alert {}: {} ({})", key, subject, delivery.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void resolve(String key, String subject, String body) {
        Delivery delivery = alerts.resolve(key(key), subject, body);
        if (delivery != Delivery.NOTHING_OPEN) {
            LOGGER.info("Alert {} is over: {} ({})", key, subject, delivery.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    static AlertKey key(String key) {
        if (key.startsWith("job-")) {
            return AlertKey.of("job " + key.substring("job-".length()), "failed");
        }
        int dash = key.indexOf('-');
        return dash <= 0 || dash == key.length() - 1 ? AlertKey.of(key, "problem")
                : AlertKey.of(key.substring(0, dash), key.substring(dash + 1));
    }
}
