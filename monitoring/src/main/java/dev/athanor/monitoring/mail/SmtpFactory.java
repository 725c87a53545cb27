package dev.athanor.monitoring.mail;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The {@code smtp} section: the mail server that alerts go through, and that the site's own mail will use (Amazon SES
 * on a server).
 *
 * <ul>
 *   <li>{@code host}: the server's name; empty (the default) means no mail server, and alerts are written to files
 *       under {@code alerts.stateDirectory} instead, with a warning in the log that says so.
 *   <li>{@code port}: 587 (submission with STARTTLS) by default; 465 means TLS from the first byte.
 *   <li>{@code startTls}: require STARTTLS before logging in (default true); turn off only for a local test server.
 *   <li>{@code user}, {@code password}: the SMTP login (SES: the SMTP credentials, not the IAM keys); from the
 *       environment ({@code SMTP_USER}, {@code SMTP_PASSWORD}), never in the file.
 *   <li>{@code timeout}: for connecting, reading and writing (10 seconds).
 * </ul>
 */
public class SmtpFactory {

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY) // an empty ${VARIABLE:-} reads as null
    private String host = "";

    @Min(1)
    @Max(65535)
    @JsonProperty
    private int port = 587;

    @JsonProperty
    private boolean startTls = true;

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY) // an empty ${VARIABLE:-} reads as null
    private String user = "";

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY) // an empty ${VARIABLE:-} reads as null
    private String password = "";

    @NotNull
    @JsonProperty
    private Duration timeout = Duration.seconds(10);

    public SmtpFactory() {
    }

    /** Settings for code and tests; {@code host} empty for none. */
    public SmtpFactory(String host, int port, boolean startTls, String user, String password) {
        this.host = host;
        this.port = port;
        this.startTls = startTls;
        this.user = user;
        this.password = password;
    }

    /** True when a mail server is named. */
    @JsonIgnore
    public boolean isConfigured() {
        return host != null && !host.isBlank();
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    /** The mail server these settings describe. */
    public SmtpMailer build() {
        return new SmtpMailer(host.strip(), port, startTls, user, password, timeout.toJavaDuration());
    }
}
