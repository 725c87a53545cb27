package dev.athanor.backup.scheduler;

import dev.athanor.backup.AlertSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the scheduler: a Quartz scheduler on the clustered JDBC job store, running {@link ScheduledTask}s on
 * cron triggers. On start it makes the stored jobs match the configured ones, leaving a trigger whose schedule did not
 * change as it is, so that a fire missed while every node was down runs once now (misfire: fire once and proceed).
 * On stop it stops taking new fires, gives running jobs the stop timeout to finish, then interrupts them, and waits
 * for them to end.
 */
public final class SchedulerDaemon implements AutoCloseable {

    /** The Quartz group of Athanor's jobs and triggers. */
    public static final String GROUP = "athanor";

    private static final Logger LOGGER = LoggerFactory.getLogger(SchedulerDaemon.class);

    /** The advisory lock under which a node makes the stored jobs match its configuration ("athanor" in ASCII). */
    public static final long RECONCILE_LOCK = 0x617468616e6f72L;

    private static final Duration RECONCILE_WAIT = Duration.ofMinutes(2);

    private final Scheduler scheduler;
    private final Duration stopTimeout;
    private final Set<TaskJob> running;
    private final CountDownLatch closing;

    private SchedulerDaemon(Scheduler scheduler, Duration stopTimeout, Set<TaskJob> running,
            CountDownLatch closing) {
        this.scheduler = scheduler;
        this.stopTimeout = stopTimeout;
        this.running = running;
        this.closing = closing;
    }

    /**
     * Creates a node, not yet started.
     *
     * @param properties Quartz's properties ({@link SchedulerFactory#quartzProperties})
     * @param tasks the work behind each job name
     * @param schedules job name to cron expression, for the jobs to schedule
     */
    public static SchedulerDaemon create(java.util.Properties properties, Map<String, ScheduledTask> tasks,
            Map<String, String> schedules, TimeZone timeZone, JobRuns runs, Heartbeat heartbeat, AlertSink alerts,
            Duration stopTimeout) throws SchedulerException {
        return create(properties, tasks, schedules, timeZone, runs, heartbeat, alerts, stopTimeout, Map.of());
    }

    /**
     * Creates a node, not yet started, whose jobs named in {@code randomDelays} each wait a random time up to theirs
     * before they run.
     */
    public static SchedulerDaemon create(java.util.Properties properties, Map<String, ScheduledTask> tasks,
            Map<String, String> schedules, TimeZone timeZone, JobRuns runs, Heartbeat heartbeat, AlertSink alerts,
            Duration stopTimeout, Map<String, Duration> randomDelays) throws SchedulerException {
        for (String job : schedules.keySet()) {
            if (!tasks.containsKey(job)) {
                throw new SchedulerException("scheduler.jobs." + job + ": no such job (the jobs are "
                        + String.join(", ", tasks.keySet().stream().sorted().toList()) + ")");
            }
        }
        Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
        Clock clock = Clock.systemUTC();
        Set<TaskJob> running = ConcurrentHashMap.newKeySet();
        CountDownLatch closing = new CountDownLatch(1);
        scheduler.setJobFactory((bundle, ignored) -> {
            String name = bundle.getJobDetail().getKey().getName();
            ScheduledTask task = tasks.get(name);
            if (task == null) {
                throw new SchedulerException("no task for job " + name + " in this release");
            }
            return new TaskJob(task, runs, heartbeat, alerts, clock, running,
                    randomDelays.getOrDefault(name, Duration.ZERO), closing);
        });
        SchedulerDaemon daemon = new SchedulerDaemon(scheduler, stopTimeout, running, closing);
        try {
            daemon.reconcileAlone(properties.getProperty("org.quartz.jobStore.dataSource"), schedules, timeZone);
        } catch (SchedulerException | RuntimeException e) {
            scheduler.shutdown(false);
            throw e;
        }
        return daemon;
    }

    /** Starts firing. */
    public void start() throws SchedulerException {
        scheduler.start();
        LOGGER.info("Scheduler node {} of {} started", scheduler.getSchedulerInstanceId(),
                scheduler.getSchedulerName());
    }

    /** This node's id in the cluster. */
    public String instanceId() throws SchedulerException {
        return scheduler.getSchedulerInstanceId();
    }

    /** The jobs running on this node now. */
    public List<String> running() throws SchedulerException {
        return scheduler.getCurrentlyExecutingJobs().stream()
                .map(context -> context.getJobDetail().getKey().getName()).toList();
    }

    /**
     * Stops the node: no new fires, running jobs get the stop timeout to finish, then they are interrupted and end
     * cleanly; returns once they have.
     *
     * <p>Quartz's own shutdown waits for running jobs and, once halted, fires nothing more (its standby mode does not
     * promise that: a fire acquired while a worker was busy would still run). It runs on a thread of its own here, so
     * that the jobs can be interrupted when the timeout has passed.
     */
    @Override
    public void close() {
        closing.countDown(); // jobs still in their random delay end it now, without starting
        Thread shutdown = new Thread(() -> {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                LOGGER.error("Could not stop the scheduler cleanly: {}", e.getMessage());
            }
        }, "scheduler-shutdown");
        shutdown.start();
        try {
            Instant deadline = Instant.now().plus(stopTimeout);
            while (shutdown.isAlive() && Instant.now().isBefore(deadline)) {
                if (!running.isEmpty()) {
                    LOGGER.info("Waiting for {} to finish before stopping", running.stream().map(TaskJob::name)
                            .toList());
                }
                shutdown.join(Math.min(1000, Math.max(1, Duration.between(Instant.now(), deadline).toMillis())));
            }
            for (TaskJob job : running) {
                LOGGER.warn("Stopping job {}: it did not finish within {}", job.name(), stopTimeout);
                job.interrupt();
            }
            shutdown.join();
            LOGGER.info("Scheduler stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.forEach(TaskJob::interrupt);
        }
    }

    /**
     * Reconciles while holding a lock the other nodes take for the same, in the job store's database: a node
     * starting beside one that had just stored a trigger and fired it would otherwise find it missing, store its
     * own in its place, and fire the same second again. The lock ends with the transaction; a node waits for it at
     * most {@link #RECONCILE_WAIT}, saying so, since another node holds it only for the moment its own start takes.
     */
    private void reconcileAlone(String dataSource, Map<String, String> schedules, TimeZone timeZone)
            throws SchedulerException {
        if (dataSource == null) { // a job store of this process alone: nobody to share it with
            reconcile(schedules, timeZone);
            return;
        }
        try (Connection connection = DBConnectionManager.getInstance().getConnection(dataSource)) {
            connection.setAutoCommit(false);
            awaitLock(connection);
            reconcile(schedules, timeZone);
            // ends the transaction and the lock with it; on a failure, the pool rolls back as it takes the
            // connection back
            connection.rollback();
        } catch (SQLException e) {
            throw new SchedulerException("could not lock the job store to schedule the jobs: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchedulerException("stopped while waiting to schedule the jobs", e);
        }
    }

    private static void awaitLock(Connection connection) throws SQLException, InterruptedException,
            SchedulerException {
        Instant deadline = Instant.now().plus(RECONCILE_WAIT);
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RECONCILE_LOCK);
            for (boolean waiting = false; ; waiting = true) {
                try (ResultSet taken = lock.executeQuery()) {
                    if (taken.next() && taken.getBoolean(1)) {
                        return;
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new SchedulerException("another scheduler node has been scheduling its jobs for over "
                            + RECONCILE_WAIT.toSeconds() + " s (PostgreSQL advisory lock " + RECONCILE_LOCK
                            + "): is one stuck?");
                }
                if (!waiting) {
                    LOGGER.info("Waiting for another scheduler node to finish scheduling its jobs");
                }
                Thread.sleep(200);
            }
        }
    }

    private void reconcile(Map<String, String> schedules, TimeZone timeZone) throws SchedulerException {
        for (Map.Entry<String, String> job : schedules.entrySet()) {
            TriggerKey triggerKey = TriggerKey.triggerKey(job.getKey(), GROUP);
            Trigger existing = scheduler.getTrigger(triggerKey);
            if (existing instanceof CronTrigger cron && cron.getCronExpression().equals(job.getValue())
                    && cron.getTimeZone().hasSameRules(timeZone)) {
                continue;
            }
            JobDetail detail = JobBuilder.newJob(TaskJob.class).withIdentity(job.getKey(), GROUP)
                    .withDescription("Athanor " + job.getKey()).storeDurably().requestRecovery().build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey).forJob(detail)
                    .withSchedule(CronScheduleBuilder.cronSchedule(job.getValue()).inTimeZone(timeZone)
                            .withMisfireHandlingInstructionFireAndProceed())
                    .startAt(new Date())
                    .build();
            scheduler.scheduleJob(detail, Set.of(trigger), true);
            LOGGER.info("Scheduled {} at \"{}\" ({})", job.getKey(), job.getValue(), timeZone.getID());
        }
        for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!schedules.containsKey(key.getName())) {
                scheduler.deleteJob(key);
                LOGGER.info("Unscheduled {}: it is no longer configured", key.getName());
            }
        }
    }
}
