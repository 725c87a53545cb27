package dev.athanor.ops.scheduler;

import dev.athanor.backup.AlertSink;
import dev.athanor.backup.BackupAge;
import dev.athanor.backup.BackupException;
import dev.athanor.backup.Backups;
import dev.athanor.backup.scheduler.SchedulerFactory;
import dev.athanor.backup.scheduler.SchedulerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, on a timer of its own and not as a Quartz job (so that a store that fires nothing cannot silence it), that
 * the newest good backup is young enough and that the scheduler's triggers fire; alerts when not, and says so again
 * when it is over.
 */
final class SchedulerWatchdog implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(SchedulerWatchdog.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "scheduler-watchdog");
        thread.setDaemon(true);
        return thread;
    });
    private final Backups backups;
    private final Duration period;
    private final Duration grace;
    private final SchedulerFactory scheduler;
    private final DataSource dataSource;
    private final AlertSink alerts;

    SchedulerWatchdog(Backups backups, Duration period, Duration grace, SchedulerFactory scheduler,
            DataSource dataSource, AlertSink alerts) {
        this.backups = backups;
        this.period = period;
        this.grace = grace;
        this.scheduler = scheduler;
        this.dataSource = dataSource;
        this.alerts = alerts;
    }

    void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void check() {
        try {
            BackupAge age = backups.age(period, grace);
            if (age.overdue()) {
                alerts.raise("backup-age", "No recent backup: " + age.describe(), age.describe()
                        + ". Backups go to " + backups.describeStorage() + "; see ops scheduler status.");
            } else {
                alerts.resolve("backup-age", "backups are recent again", age.describe() + ".");
            }
            alerts.resolve("backup-storage", "backups can be read again", "Backups in " + backups.describeStorage()
                    + " can be listed again.");
        } catch (BackupException | RuntimeException e) {
            alerts.raise("backup-storage", "Backups cannot be read", e.getMessage());
        }
        SchedulerStatus status = SchedulerStatus.read(dataSource, scheduler.getInstanceName(),
                scheduler.getMisfireThreshold(), scheduler.getCheckinInterval(), Instant.now());
        List<String> storeProblems = status.problems().stream()
                .filter(problem -> problem.contains("has not fired") || problem.contains("ERROR state")
                        || problem.contains("tables"))
                .toList();
        if (storeProblems.isEmpty()) {
            alerts.resolve("scheduler-store", "the scheduler fires its jobs again", "Every scheduled job fires on"
                    + " time again; see ops scheduler status.");
        } else {
            alerts.raise("scheduler-store", "The scheduler fires nothing", String.join("; ", storeProblems));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOGGER.debug("Watchdog stopped");
    }
}
