package dev.athanor.monitoring;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.athanor.monitoring.logs.LogFormat;
import dev.athanor.monitoring.logs.LogSet;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code monitoring} section: what {@code ops health}, {@code ops logs}, {@code ops status}, {@code ops doctor}
 * and the weekly digest look at.
 *
 * <ul>
 *   <li>{@code healthUrls}: the public readiness URLs {@code ops health} polls; empty (the default) for the site's own
 *       {@code http://HOST:PORT/health} from {@code server.applicationConnectors}. Add the public address
 *       ({@code https://learn.example.com/health}) to check nginx and the certificate on the way.
 *   <li>{@code adminUrl}: the admin port's base URL; empty for {@code http://127.0.0.1:ADMIN_PORT} from
 *       {@code server.adminConnectors}.
 *   <li>{@code timeout}: for each request (5 seconds); a slower answer counts as none.
 *   <li>{@code watchInterval}: how often {@code ops health --watch} polls (30 seconds); {@code confirmations}: how
 *       many polls in a row must agree before a change of state counts and alerts (2).
 *   <li>{@code stateDirectory}: the health history and disk samples the weekly digest reads
 *       ({@code ./data/monitoring}).
 *   <li>{@code nginxLogDirectory}: where nginx writes {@code athanor-access.log} and {@code athanor-error.log}
 *       ({@code /var/log/nginx}).
 *   <li>{@code nginxSite}: the installed nginx site file {@code ops doctor} checks
 *       ({@code /etc/nginx/sites-enabled/athanor.conf}).
 *   <li>{@code units}: the systemd units {@code ops doctor} expects installed and enabled, besides the site's live
 *       instance ({@code athanor@a.service} or {@code athanor@b.service}, from {@code deploy.directory}'s
 *       {@code live.json}), which it always checks in systemd mode.
 * </ul>
 */
public class MonitoringFactory {

    /** The logs {@code ops logs} knows, by the name the operator gives. */
    public static final List<String> LOG_NAMES = List.of("app", "requests", "scheduler", "nginx", "nginx-error");

    @NotNull
    @JsonProperty
    private List<String> healthUrls = new ArrayList<>();

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    private String adminUrl = "";

    @NotNull
    @JsonProperty
    private Duration timeout = Duration.seconds(5);

    @NotNull
    @JsonProperty
    private Duration watchInterval = Duration.seconds(30);

    @Min(1)
    @Max(100)
    @JsonProperty
    private int confirmations = 2;

    @NotEmpty
    @JsonProperty
    private String stateDirectory = "./data/monitoring";

    @NotEmpty
    @JsonProperty
    private String nginxLogDirectory = "/var/log/nginx";

    @NotEmpty
    @JsonProperty
    private String nginxSite = "/etc/nginx/sites-enabled/athanor.conf";

    @NotNull
    @JsonProperty
    private List<String> units = new ArrayList<>(List.of("athanor-scheduler.service", "athanor-health-watch.service",
            "nginx.service"));

    /** The configured public URLs, blanks left out; empty when the site's own address is to be used. */
    @JsonIgnore
    public List<URI> getHealthUrls() {
        return healthUrls.stream().filter(Objects::nonNull).map(String::strip).filter(url -> !url.isEmpty())
                .map(URI::create).toList();
    }

    @JsonIgnore
    @ValidationMethod(message = "monitoring.healthUrls and monitoring.adminUrl must be http or https URLs")
    public boolean isUrlsValid() {
        List<String> all = new ArrayList<>(healthUrls.stream().filter(Objects::nonNull).toList());
        all.add(adminUrl);
        for (String url : all) {
            if (url.isBlank()) {
                continue;
            }
            try {
                URI uri = URI.create(url.strip());
                if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    return false;
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    /** The admin port's base URL as configured, or empty when it is to come from the server settings. */
    public String getAdminUrl() {
        return adminUrl.strip();
    }

    public java.time.Duration getTimeout() {
        return timeout.toJavaDuration();
    }

    public java.time.Duration getWatchInterval() {
        return watchInterval.toJavaDuration();
    }

    public int getConfirmations() {
        return confirmations;
    }

    public Path getStateDirectory() {
        return Path.of(stateDirectory);
    }

    public Path getNginxLogDirectory() {
        return Path.of(nginxLogDirectory);
    }

    public Path getNginxSite() {
        return Path.of(nginxSite);
    }

    public List<String> getUnits() {
        return units.stream().filter(Objects::nonNull).filter(unit -> !unit.isBlank()).toList();
    }

    /** Every log {@code ops logs} reads, by name: the site's in {@code logDirectory}, nginx's in its own. */
    public Map<String, LogSet> logs(Path logDirectory) {
        Map<String, LogSet> logs = new LinkedHashMap<>();
        logs.put("app", new LogSet("app", logDirectory.resolve("app.log"), LogFormat.EVENTS));
        logs.put("requests", new LogSet("requests", logDirectory.resolve("requests.log"), LogFormat.REQUESTS));
        logs.put("scheduler", new LogSet("scheduler", logDirectory.resolve("scheduler.log"), LogFormat.EVENTS));
        logs.put("nginx", new LogSet("nginx", getNginxLogDirectory().resolve("athanor-access.log"),
                LogFormat.REQUESTS));
        logs.put("nginx-error", new LogSet("nginx-error", getNginxLogDirectory().resolve("athanor-error.log"),
                LogFormat.NGINX_ERROR));
        return logs;
    }

    /** Settings in code, for tests: a map of key to value as config.yml would give them. */
    public static MonitoringFactory fromMap(Map<String, Object> values) {
        return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(values, MonitoringFactory.class);
    }
}
