package dev.athanor.monitoring.alerts;

import dev.athanor.monitoring.mail.SmtpMailer;
import java.util.List;

/** Alerts by mail to the operator, through the site's SMTP server. */
final class MailChannel implements AlertChannel {

    static final String NAME = "mail";

    private final SmtpMailer mailer;
    private final String from;
    private final List<String> recipients;

    MailChannel(SmtpMailer mailer, String from, List<String> recipients) {
        this.mailer = mailer;
        this.from = from;
        this.recipients = List.copyOf(recipients);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(AlertMessage message) throws Exception {
        mailer.send(from, recipients, message.subject(), message.body());
    }

    @Override
    public String describe() {
        return "mail to " + String.join(", ", recipients) + " via " + mailer.describe();
    }
}
