package dev.athanor.mail;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code mail} section: the site's transactional mail (verification, reset and sign-in links, receipts). The
 * server is the {@code smtp} section's (Amazon SES's SMTP interface in production); without one, mail is written as
 * {@code .eml} files under {@code directory}, so a newcomer can read it.
 *
 * <ul>
 *   <li>{@code from}: the sender address, such as {@code Athanor <hello@learn.example.com>}.
 *   <li>{@code directory}: where mail goes when no SMTP server is configured (default {@code ./data/mail}).
 *   <li>{@code maxAttempts}: how many times a message is tried before it is given up (default 8, over about a
 *       day: the waits double from one minute).
 *   <li>{@code pollInterval}: how often the outbox is looked at (default 2 seconds).
 * </ul>
 */
public class MailFactory {

    @NotEmpty
    @JsonProperty
    private String from = "Athanor <hello@localhost>";

    @NotEmpty
    @JsonProperty
    private String directory = "./data/mail";

    @Min(1)
    @JsonProperty
    private int maxAttempts = 8;

    @jakarta.validation.constraints.NotNull
    @JsonProperty
    private io.dropwizard.util.Duration pollInterval = io.dropwizard.util.Duration.seconds(2);

    /**
     * The mail context over {@code jdbi}'s outbox; templates name the site {@code siteName} and link to
     * {@code baseUrl}.
     */
    public Mail build(Jdbi jdbi, String siteName, String baseUrl) {
        return new Mail(jdbi, this, siteName, baseUrl);
    }

    /** How often the worker looks for messages to send. */
    public long pollMillis() {
        return pollInterval.toMilliseconds();
    }

    public String getFrom() {
        return from;
    }

    public Path getDirectory() {
        return Path.of(directory);
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }
}
