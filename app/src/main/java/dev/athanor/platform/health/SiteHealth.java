package dev.athanor.platform.health;

import dev.athanor.platform.db.Database;
import io.dropwizard.health.DefaultHealthFactory;
import io.dropwizard.health.HealthCheckConfiguration;
import io.dropwizard.health.HealthCheckType;
import io.dropwizard.health.Schedule;
import io.dropwizard.util.Duration;
import java.util.List;

/**
 * How the site reports its health on the public port: {@code GET|HEAD /health} (readiness) and
 * {@code /health?type=alive} (liveness), from checks that Dropwizard's health module runs on a schedule.
 *
 * <p>Only the database is critical for readiness: an outage turns {@code /health} to 503 within about two seconds and
 * back to 200 about two seconds after it ends. Migrations and disk space are reported on the admin port but do not
 * take the site out of service. Liveness depends only on the JVM (no deadlocked threads), so a database outage never
 * makes a supervisor restart a healthy process.
 */
public final class SiteHealth {

    /** The path uptime monitors poll. */
    public static final String PATH = "/health";

    private SiteHealth() {
    }

    /** The health module's settings; used unless {@code config.yml} has a {@code health} section of its own. */
    public static DefaultHealthFactory defaults() {
        DefaultHealthFactory factory = new DefaultHealthFactory();
        factory.setHealthCheckUrlPaths(List.of(PATH));
        factory.setHealthResponseProviderFactory(new MinimalHealthResponseProviderFactory());
        factory.setHealthCheckConfigurations(List.of(
                check(Database.HEALTH_CHECK, HealthCheckType.READY, true, Duration.seconds(1)),
                check(Database.MIGRATIONS_CHECK, HealthCheckType.READY, false, Duration.minutes(1)),
                check(StorageFactory.DATA_CHECK, HealthCheckType.READY, false, Duration.minutes(1)),
                check(StorageFactory.LOGS_CHECK, HealthCheckType.READY, false, Duration.minutes(1)),
                check(CertificatesHealthCheck.NAME, HealthCheckType.READY, false, Duration.minutes(1)),
                check(BackupHealthChecks.BACKUP_AGE_CHECK, HealthCheckType.READY, false, Duration.minutes(5)),
                check(BackupHealthChecks.SCHEDULER_CHECK, HealthCheckType.READY, false, Duration.minutes(1)),
                check(BackupHealthChecks.ARCHIVE_CHECK, HealthCheckType.READY, false, Duration.minutes(1)),
                check("deadlocks", HealthCheckType.ALIVE, true, Duration.seconds(10))));
        return factory;
    }

    private static HealthCheckConfiguration check(String name, HealthCheckType type, boolean critical,
            Duration interval) {
        Schedule schedule = new Schedule();
        schedule.setInitialDelay(Duration.milliseconds(0));
        schedule.setCheckInterval(interval);
        schedule.setDowntimeInterval(critical ? Duration.seconds(1) : interval);
        schedule.setFailureAttempts(2);
        schedule.setSuccessAttempts(2);
        HealthCheckConfiguration configuration = new HealthCheckConfiguration();
        configuration.setName(name);
        configuration.setType(type);
        configuration.setCritical(critical);
        configuration.setSchedule(schedule);
        return configuration;
    }
}
