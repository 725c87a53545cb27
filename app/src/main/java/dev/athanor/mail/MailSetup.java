package dev.athanor.mail;

import dev.athanor.monitoring.mail.SmtpFactory;
import dev.athanor.platform.health.HealthChecks;
import io.dropwizard.core.setup.Environment;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/** Wires the mail context into the site: the facade, and the outbox worker with its health check. */
public final class MailSetup {

    /** The name of the mail health check. */
    public static final String HEALTH_CHECK = "mail";

    private MailSetup() {
    }

    public static Mail install(MailFactory mail, SmtpFactory smtp, String siteName, String baseUrl, Jdbi jdbi,
            Environment environment, HealthChecks healthChecks) {
        MailDelivery delivery = smtp.isConfigured() ? MailDelivery.smtp(smtp.build())
                : MailDelivery.files(mail.getDirectory());
        OutboxWorker worker = new OutboxWorker(jdbi, delivery, mail.getFrom(), mail.getMaxAttempts(), mail.pollMillis(),
                environment.metrics());
        environment.lifecycle().manage(worker);
        healthChecks.register(HEALTH_CHECK, worker.healthCheck(), Duration.ofSeconds(5));
        return new Mail(siteName, baseUrl);
    }
}
