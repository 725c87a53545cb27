package dev.athanor.mail;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The mail context's public face: queue a message inside the transaction of the change that causes it (the outbox),
 * and a worker sends it. Templates get the site's name and address besides what the caller passes.
 */
public final class Mail {

    private final MailTemplates templates = new MailTemplates();
    private final Map<String, Object> site;

    public Mail(String siteName, String baseUrl) {
        this.site = Map.of("siteName", siteName, "baseUrl", baseUrl);
    }

    /** Renders {@code template} with {@code model} and queues it for {@code recipient} within {@code handle}. */
    public void queue(Handle handle, String recipient, String template, Map<String, ?> model) {
        Map<String, Object> values = new HashMap<>(site);
        values.putAll(model);
        MailTemplates.Rendered rendered = templates.render(template, values);
        handle.createUpdate("""
                INSERT INTO outbox (recipient, template, subject, text_body, html_body)
                VALUES (:recipient, :template, :subject, :text, :html)""")
                .bind("recipient", recipient).bind("template", template).bind("subject", rendered.subject())
                .bind("text", rendered.text()).bind("html", rendered.html()).execute();
    }

    /**
     * Forgets mail delivered more than {@code age} ago, within {@code handle}'s transaction (the hourly housekeeping),
     * so the outbox does not grow without end; unsent mail stays. How many messages went.
     */
    public int forgetDelivered(Handle handle, Duration age) {
        return handle.attach(OutboxRetentionDao.class).deleteSentBefore(age.toSeconds());
    }
}
