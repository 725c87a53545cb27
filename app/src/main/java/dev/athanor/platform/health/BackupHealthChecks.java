package dev.athanor.platform.health;

import com.codahale.metrics.health.HealthCheck;
import dev.athanor.backup.AlertSink;
import dev.athanor.backup.BackupAge;
import dev.athanor.backup.BackupCatalog;
import dev.athanor.backup.BackupException;
import dev.athanor.backup.BackupFactory;
import dev.athanor.backup.Backups;
import dev.athanor.backup.scheduler.SchedulerFactory;
import dev.athanor.backup.scheduler.SchedulerStatus;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of backups on the admin port: {@code backup-age} turns unhealthy when the newest good backup is
 * older than the backup period plus its grace (also when the scheduler itself has stopped, which no job can report),
 * and {@code scheduler} when no scheduler node runs, a job is overdue (a store that fires nothing), or a job's last
 * run failed, and {@code archive} when the write-ahead log's archiving for point-in-time recovery lags or fails
 * ({@link ArchiveHealthCheck}). All are warnings: the site keeps serving.
 */
public final class BackupHealthChecks {

    public static final String BACKUP_AGE_CHECK = "backup-age";
    public static final String SCHEDULER_CHECK = "scheduler";
    public static final String ARCHIVE_CHECK = ArchiveHealthCheck.NAME;

    private static final Logger LOGGER = LoggerFactory.getLogger(BackupHealthChecks.class);
    /** The admin page may be polled often; listing the bucket once a minute is enough. */
    private static final Duration CACHE = Duration.ofMinutes(1);
    private static final String NOT_SET_UP = "not set up yet: no backup taken and no scheduler node started"
            + " (ops scheduler, systemd/athanor-scheduler.service)";

    private BackupHealthChecks() {
    }

    public static void register(BackupFactory backup, SchedulerFactory scheduler, DataSource dataSource,
            Environment environment, HealthChecks healthChecks) {
        Backups backups;
        try {
            // The site raises no alerts itself: ops scheduler's watchdog and ops health --watch do.
            backups = backup.build(AlertSink.NONE);
        } catch (BackupException e) {
            LOGGER.warn("Backups cannot be checked: {}", e.getMessage());
            healthChecks.register(BACKUP_AGE_CHECK, new HealthCheck() {
                @Override
                protected Result check() {
                    return Result.unhealthy(e.getMessage());
                }
            }, Duration.ofSeconds(1));
            backups = null;
        }
        if (backups != null) {
            Backups opened = backups;
            environment.lifecycle().manage(new Managed() {
                @Override
                public void stop() {
                    opened.close();
                }
            });
            healthChecks.register(BACKUP_AGE_CHECK, new BackupAgeCheck(opened, backup.getPeriod(), backup.getGrace(),
                    () -> schedulerStatus(scheduler, dataSource)), Duration.ofSeconds(30));
        }
        healthChecks.register(SCHEDULER_CHECK, new HealthCheck() {
            @Override
            protected Result check() {
                SchedulerStatus status = schedulerStatus(scheduler, dataSource);
                if (status.neverStarted()) {
                    return Result.healthy(NOT_SET_UP);
                }
                return status.healthy()
                        ? Result.healthy(status.nodes().size() + " node(s), " + status.jobs().size() + " job(s)")
                        : Result.unhealthy(String.join("; ", status.problems()));
            }
        }, Duration.ofSeconds(5));
        healthChecks.register(ARCHIVE_CHECK, new ArchiveHealthCheck(dataSource, backup.getPitr().getLagAlert()),
                Duration.ofSeconds(15));
    }

    private static SchedulerStatus schedulerStatus(SchedulerFactory scheduler, DataSource dataSource) {
        return SchedulerStatus.read(dataSource, scheduler.getInstanceName(), scheduler.getMisfireThreshold(),
                scheduler.getCheckinInterval(), Instant.now());
    }

    /**
     * The newest good backup is young enough. The storage is listed at most once a minute (the admin page may be
     * polled often); a listing that failed is not remembered. A fresh setup, where no backup was ever taken and no
     * scheduler ever ran, is reported as such but not as a fault, so a newcomer's admin page is green; so is a
     * moment when the scheduler's tables cannot be read (the database check reports that).
     */
    private static final class BackupAgeCheck extends HealthCheck {
        private final Backups backups;
        private final Duration period;
        private final Duration grace;
        private final Supplier<SchedulerStatus> scheduler;
        private BackupCatalog cached;
        private Instant cachedAt = Instant.MIN;

        BackupAgeCheck(Backups backups, Duration period, Duration grace, Supplier<SchedulerStatus> scheduler) {
            this.backups = backups;
            this.period = period;
            this.grace = grace;
            this.scheduler = scheduler;
        }

        @Override
        protected Result check() {
            BackupCatalog catalog;
            try {
                catalog = catalog();
            } catch (BackupException e) {
                return Result.unhealthy("backups in " + backups.describeStorage() + " could not be read: "
                        + e.getMessage());
            }
            if (catalog.backups().isEmpty() && catalog.failures().isEmpty()) {
                SchedulerStatus status = scheduler.get();
                if (!status.readable() || status.neverStarted()) {
                    return Result.healthy(NOT_SET_UP);
                }
            }
            BackupAge age = new BackupAge(catalog.newestGood().map(BackupCatalog.Entry::manifest), Instant.now(),
                    period, grace);
            return age.overdue() ? Result.unhealthy(age.describe()) : Result.healthy(age.describe());
        }

        private synchronized BackupCatalog catalog() throws BackupException {
            if (cached == null || cachedAt.plus(CACHE).isBefore(Instant.now())) {
                cached = backups.catalog();
                cachedAt = Instant.now();
            }
            return cached;
        }
    }
}
