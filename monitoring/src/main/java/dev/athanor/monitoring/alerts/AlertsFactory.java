package dev.athanor.monitoring.alerts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.athanor.monitoring.mail.SmtpFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code alerts} section: who hears about problems, and how often.
 *
 * <ul>
 *   <li>{@code recipients}: mail addresses ({@code ATHANOR_ALERT_EMAIL}); blank entries are ignored.
 *   <li>{@code from}: the sender address, one your SMTP server may send as ({@code ATHANOR_ALERT_FROM}).
 *   <li>{@code webhookUrl}: optional; alerts are also posted as {@code {"text": ...}} (Slack-compatible) there. A
 *       secret: from the environment ({@code ATHANOR_ALERT_WEBHOOK}) only.
 *   <li>{@code stateDirectory}: where the sender keeps what it has sent ({@code alerts.json}), and the alerts
 *       themselves as files when no mail server is configured ({@code ./data/alerts}; {@code /var/lib/athanor/alerts}
 *       on a server). Local disk on purpose: alerts must go out while the database is down.
 *   <li>{@code repeatEvery}: an open problem is sent again after this long (1 day).
 *   <li>{@code maxPerHour}: messages an hour, all problems together (10).
 *   <li>{@code attempts}, {@code retryDelay}: tries per channel per call (3), the pause before the second (2
 *       seconds, growing with each try); what still fails is retried by later calls.
 *   <li>{@code subjectPrefix}: put before every subject ({@code "[Athanor] "}).
 * </ul>
 *
 * <p>With no SMTP server ({@code smtp.host} empty) or no recipient, mail is replaced by one text file per alert under
 * {@code stateDirectory/outbox}, and the log says so.
 */
public class AlertsFactory {

    @NotNull
    @JsonProperty
    private List<String> recipients = new ArrayList<>();

    @NotEmpty
    @JsonProperty
    private String from = "athanor@localhost";

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY) // an empty ${VARIABLE:-} reads as null
    private String webhookUrl = "";

    @NotEmpty
    @JsonProperty
    private String stateDirectory = "./data/alerts";

    @NotNull
    @JsonProperty
    private Duration repeatEvery = Duration.days(1);

    @Min(1)
    @Max(1000)
    @JsonProperty
    private int maxPerHour = 10;

    @Min(1)
    @Max(10)
    @JsonProperty
    private int attempts = 3;

    @NotNull
    @JsonProperty
    private Duration retryDelay = Duration.seconds(2);

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY) // an empty ${VARIABLE:-} reads as null
    private String subjectPrefix = "[Athanor] ";

    /** The mail addresses, blanks left out. */
    @JsonIgnore
    public List<String> getRecipients() {
        return recipients.stream().filter(recipient -> recipient != null && !recipient.isBlank())
                .map(String::strip).toList();
    }

    public Path getStateDirectory() {
        return Path.of(stateDirectory);
    }

    @JsonIgnore
    @ValidationMethod(message = "alerts.webhookUrl must be an http or https URL, or empty")
    public boolean isWebhookUrlValid() {
        if (webhookUrl.isBlank()) {
            return true;
        }
        try {
            URI uri = URI.create(webhookUrl.strip());
            return uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The sender, delivering through {@code smtp} (or to files when it names no server). */
    public Alerts build(SmtpFactory smtp) {
        return build(smtp, Clock.systemUTC());
    }

    /** The sender on {@code clock}, for tests that move time. */
    public Alerts build(SmtpFactory smtp, Clock clock) {
        List<AlertChannel> channels = new ArrayList<>();
        Path directory = getStateDirectory();
        if (smtp.isConfigured() && !getRecipients().isEmpty()) {
            channels.add(new MailChannel(smtp.build(), from, getRecipients()));
        } else {
            String why = smtp.isConfigured() ? "alerts.recipients is empty" : "no SMTP server configured";
            channels.add(new FileChannel(directory.resolve("outbox"), clock, why));
        }
        if (!webhookUrl.isBlank()) {
            channels.add(new WebhookChannel(URI.create(webhookUrl.strip()), java.time.Duration.ofSeconds(10)));
        }
        Alerts.Settings settings = new Alerts.Settings(subjectPrefix, repeatEvery.toJavaDuration(), maxPerHour,
                attempts, retryDelay.toJavaDuration());
        return new Alerts(new AlertLog(directory), channels, settings, clock);
    }

    /** Settings in code, for tests and tools. */
    public AlertsFactory withRecipients(List<String> recipients) {
        this.recipients = new ArrayList<>(recipients);
        return this;
    }

    public AlertsFactory withStateDirectory(Path directory) {
        this.stateDirectory = directory.toString();
        return this;
    }

    public AlertsFactory withWebhookUrl(String url) {
        this.webhookUrl = url;
        return this;
    }

    public AlertsFactory withLimits(java.time.Duration repeatEvery, int maxPerHour, java.time.Duration retryDelay) {
        this.repeatEvery = Duration.milliseconds(repeatEvery.toMillis());
        this.maxPerHour = maxPerHour;
        this.retryDelay = Duration.milliseconds(retryDelay.toMillis());
        return this;
    }
}
