package dev.athanor.backup.scheduler;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.quartz.CronExpression;

/**
 * The {@code scheduler} section: what {@code ops scheduler} runs and when. Quartz keeps its state in the site's
 * PostgreSQL (its JDBC job store, clustered), so several scheduler processes can share the work and each fire runs
 * exactly once.
 *
 * <ul>
 *   <li>{@code jobs}: job name to Quartz cron expression (seconds first: {@code "0 30 3 * * ?"} is 03:30 every day);
 *       an empty expression turns a job off. The jobs are {@code backup-daily}, {@code backup-weekly} (a backup, then
 *       prune), {@code verify-weekly} (verify the newest backup), and the jobs whose work lives with {@code ops}:
 *       {@code certs-renew}, {@code billing-reconcile}, {@code digest} and the point-in-time recovery jobs
 *       {@code pitr-full}, {@code pitr-diff}, {@code pitr-drill}, {@code pitr-mark} and {@code pitr-watch}.
 *   <li>{@code timeZone}: the zone the cron expressions are read in (default UTC).
 *   <li>{@code threads}: jobs that may run at once on one node (default 1: a small server does one heavy thing at a
 *       time; a job never overlaps itself anyway).
 *   <li>{@code misfireThreshold}: a fire later than this counts as missed; a missed fire runs once as soon as a node
 *       is up (default 1 minute).
 *   <li>{@code checkinInterval}: how often each node tells the others it is alive (default 10 seconds).
 *   <li>{@code stopTimeout}: on stop, a running job gets this long to finish before it is interrupted and aborts
 *       cleanly (default 10 minutes; the systemd unit's TimeoutStopSec is longer).
 *   <li>{@code heartbeatUrl}: a dead man's switch (healthchecks.io style) pinged at {@code URL/start}, {@code URL}
 *       on success and {@code URL/fail} on failure of every job; empty for none.
 *   <li>{@code instanceName}: the cluster's name; every node of one site uses the same (default {@code athanor}).
 *   <li>{@code quartz}: extra {@code org.quartz.*} properties, for tuning; they override Athanor's. The scheduler
 *       health check catches a store misconfigured through them.
 * </ul>
 */
public class SchedulerFactory {

    /** The jobs this release knows, with their default schedules (config.yml names the same). */
    public static final Map<String, String> DEFAULT_JOBS = Map.ofEntries(
            Map.entry("backup-daily", "0 30 3 * * ?"),
            Map.entry("backup-weekly", "0 0 4 ? * SUN"),
            Map.entry("verify-weekly", "0 0 5 ? * SUN"),
            Map.entry("certs-renew", "0 0 1,13 * * ?"),
            Map.entry("certs-check", "0 30 7 * * ?"),
            Map.entry("billing-reconcile", "0 45 4 * * ?"),
            Map.entry("digest", "0 0 8 ? * MON"),
            Map.entry("pitr-full", "0 15 4 ? * SUN"),
            Map.entry("pitr-diff", "0 15 4 ? * MON-SAT"),
            Map.entry("pitr-drill", "0 30 5 ? * SUN"),
            Map.entry("pitr-mark", "0 0 * * * ?"),
            Map.entry("pitr-watch", "30 * * * * ?"));

    @NotNull
    @JsonProperty
    private Map<String, String> jobs = new LinkedHashMap<>(DEFAULT_JOBS);

    /** Jobs that first wait a random time up to this: renewals, so that the CA does not see every server at once. */
    @NotNull
    @JsonProperty
    private Map<String, Duration> randomDelays = new LinkedHashMap<>(Map.of("certs-renew", Duration.hours(1)));

    @NotEmpty
    @JsonProperty
    private String timeZone = "UTC";

    @Min(1)
    @Max(10)
    @JsonProperty
    private int threads = 1;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration misfireThreshold = Duration.minutes(1);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration checkinInterval = Duration.seconds(10);

    @NotNull
    @JsonProperty
    private Duration stopTimeout = Duration.minutes(10);

    @JsonProperty
    private String heartbeatUrl = "";

    @NotEmpty
    @JsonProperty
    private String instanceName = "athanor";

    @NotNull
    @JsonProperty
    private Map<String, String> quartz = new LinkedHashMap<>();

    @JsonIgnore
    @ValidationMethod(message = "scheduler.jobs has an invalid cron expression (Quartz syntax, seconds first:"
            + " \"0 30 3 * * ?\")")
    public boolean isCronValid() {
        return jobs.values().stream().allMatch(cron -> cron == null || cron.isBlank()
                || CronExpression.isValidExpression(cron.strip()));
    }

    @JsonIgnore
    @ValidationMethod(message = "scheduler.timeZone is not a known time zone (UTC, Europe/Berlin, ...)")
    public boolean isTimeZoneValid() {
        try {
            ZoneId.of(timeZone);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @JsonIgnore
    @ValidationMethod(message = "scheduler.heartbeatUrl must be an http(s) URL")
    public boolean isHeartbeatUrlValid() {
        if (heartbeatUrl == null || heartbeatUrl.isBlank()) {
            return true;
        }
        try {
            URI uri = URI.create(heartbeatUrl.strip());
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The enabled jobs and their cron expressions. */
    @JsonIgnore
    public Map<String, String> getEnabledJobs() {
        Map<String, String> enabled = new LinkedHashMap<>();
        jobs.forEach((name, cron) -> {
            if (cron != null && !cron.isBlank()) {
                enabled.put(name, cron.strip());
            }
        });
        return enabled;
    }

    public void setJobs(Map<String, String> jobs) {
        this.jobs = new LinkedHashMap<>(jobs);
    }

    /** Job name to the longest random wait before it runs. */
    @JsonIgnore
    public Map<String, java.time.Duration> getRandomDelays() {
        Map<String, java.time.Duration> delays = new LinkedHashMap<>();
        randomDelays.forEach((name, delay) -> delays.put(name, delay.toJavaDuration()));
        return delays;
    }

    public void setRandomDelays(Map<String, Duration> randomDelays) {
        this.randomDelays = new LinkedHashMap<>(randomDelays);
    }

    public ZoneId getTimeZone() {
        return ZoneId.of(timeZone);
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public java.time.Duration getMisfireThreshold() {
        return java.time.Duration.ofMillis(misfireThreshold.toMilliseconds());
    }

    public void setMisfireThreshold(Duration misfireThreshold) {
        this.misfireThreshold = misfireThreshold;
    }

    public java.time.Duration getCheckinInterval() {
        return java.time.Duration.ofMillis(checkinInterval.toMilliseconds());
    }

    public void setCheckinInterval(Duration checkinInterval) {
        this.checkinInterval = checkinInterval;
    }

    public java.time.Duration getStopTimeout() {
        return java.time.Duration.ofMillis(stopTimeout.toMilliseconds());
    }

    public void setStopTimeout(Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
    }

    public Optional<URI> getHeartbeatUrl() {
        return heartbeatUrl == null || heartbeatUrl.isBlank() ? Optional.empty()
                : Optional.of(URI.create(heartbeatUrl.strip()));
    }

    public void setHeartbeatUrl(String heartbeatUrl) {
        this.heartbeatUrl = heartbeatUrl;
    }

    public String getInstanceName() {
        return instanceName;
    }

    public Map<String, String> getQuartz() {
        return quartz;
    }

    public void setQuartz(Map<String, String> quartz) {
        this.quartz = new LinkedHashMap<>(quartz);
    }

    /** Quartz's properties for a node on the database at {@code jdbcUrl}. */
    public Properties quartzProperties(String jdbcUrl, String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", instanceName);
        properties.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        properties.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                Long.toString(getCheckinInterval().toMillis()));
        properties.setProperty("org.quartz.jobStore.misfireThreshold",
                Long.toString(getMisfireThreshold().toMillis()));
        properties.setProperty("org.quartz.jobStore.dataSource", "athanor");
        properties.setProperty("org.quartz.dataSource.athanor.provider", "hikaricp");
        properties.setProperty("org.quartz.dataSource.athanor.driver", "org.postgresql.Driver");
        properties.setProperty("org.quartz.dataSource.athanor.URL", jdbcUrl);
        properties.setProperty("org.quartz.dataSource.athanor.user", user == null ? "" : user);
        properties.setProperty("org.quartz.dataSource.athanor.password", password == null ? "" : password);
        properties.setProperty("org.quartz.dataSource.athanor.maxConnections", Integer.toString(threads + 3));
        properties.setProperty("org.quartz.dataSource.athanor.validationQuery", "SELECT 1");
        quartz.forEach(properties::setProperty);
        return properties;
    }
}
