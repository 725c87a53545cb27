package dev.athanor.ops;

import dev.athanor.backup.AlertSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts as ERROR log lines (stderr, and the journal under systemd), until the monitoring module's e-mail sender is
 * connected here: then alerts reach the operator's inbox, de-duplicated.
 */
final class LoggingAlerts implements AlertSink {

    private static final Logger LOGGER = LoggerFactory.getLogger("dev.athanor.alerts");

    @Override
    public void raise(String key, String subject, String body) {
        LOGGER.error("ALERT [{}] {}: {}", key, subject, body.replace('\n', ' '));
    }

    @Override
    public void resolve(String key) {
        LOGGER.debug("Alert condition {} is over", key);
    }
}
