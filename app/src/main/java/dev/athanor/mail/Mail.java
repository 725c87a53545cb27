package dev.athanor.mail;

import dev.athanor.monitoring.mail.SmtpFactory;
import dev.athanor.platform.health.HealthChecks;
import io.dropwizard.core.setup.Environment;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The mail context's public face: queue a message inside the transaction of the change that causes it (the outbox),
 * and a worker sends it. Templates get the site's name and address besides what the caller passes. Made by
 * {@link MailFactory#build}.
 */
public final class Mail {

    /** The name of the mail health check. */
    static final String HEALTH_CHECK = "mail";

    private final MailTemplates templates = new MailTemplates();
    private final Jdbi jdbi;
    private final MailFactory settings;
    private final Map<String, Object> site;

    Mail(Jdbi jdbi, MailFactory settings, String siteName, String baseUrl) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.site = Map.of("siteName", siteName, "baseUrl", baseUrl);
    }

    /** Renders {@code template} with {@code model} and queues it for {@code recipient} within {@code handle}. */
    public void queue(Handle handle, String recipient, String template, Map<String, ?> model) {
        Map<String, Object> values = new HashMap<>(site);
        values.putAll(model);
        MailTemplates.Rendered rendered = templates.render(template, values);
        handle.attach(OutboxDao.class).queue(recipient, template, rendered.subject(), rendered.text(),
                rendered.html());
    }

    /**
     * Sends what the outbox holds while the site runs: through {@code smtp} when it is configured, else into
     * {@code mail.directory} as files; with the {@code mail} health check. Only the running site sends; {@code ops}
     * only queues.
     */
    public void deliverWhileRunning(SmtpFactory smtp, Environment environment, HealthChecks healthChecks) {
        MailDelivery delivery = smtp.isConfigured() ? MailDelivery.smtp(smtp.build())
                : MailDelivery.files(settings.getDirectory());
        OutboxWorker worker = new OutboxWorker(jdbi, delivery, settings.getFrom(), settings.getMaxAttempts(),
                settings.pollMillis(), environment.metrics());
        environment.lifecycle().manage(worker);
        healthChecks.register(HEALTH_CHECK, worker.healthCheck(), Duration.ofSeconds(5));
    }

    /**
     * Forgets mail delivered more than {@code age} ago, within {@code handle}'s transaction (the hourly housekeeping),
     * so the outbox does not grow without end; unsent mail stays. How many messages went.
     */
    public int forgetDelivered(Handle handle, Duration age) {
        return handle.attach(OutboxRetentionDao.class).deleteSentBefore(age.toSeconds());
    }
}
