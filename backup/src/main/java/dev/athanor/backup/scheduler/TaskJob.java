package dev.athanor.backup.scheduler;

import dev.athanor.backup.AlertSink;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job around a {@link ScheduledTask}: records the run, pings the heartbeat, and turns a failure into a log
 * line, an alert ({@code job-NAME}, unless the work already sent one: {@link AlertedFailure}) and a recorded outcome,
 * so that no failure can stop the daemon. Quartz never runs two fires of one
 * job at once, on any node of the cluster ({@code @DisallowConcurrentExecution}): a fire that comes while the job
 * still runs waits until it ends.
 *
 * <p>A job with a random delay (certificate renewal: so that the CA does not see every server at the same minute)
 * first waits a random time up to it; a daemon stopping meanwhile ends the wait at once, and the run is recorded as
 * skipped: nothing was started, and the next fire comes at the job's next time.
 */
@DisallowConcurrentExecution
final class TaskJob implements InterruptableJob {

    private static final Logger LOGGER = LoggerFactory.getLogger(TaskJob.class);

    private final ScheduledTask task;
    private final JobRuns runs;
    private final Heartbeat heartbeat;
    private final AlertSink alerts;
    private final Clock clock;
    private final Set<TaskJob> running;
    private final Duration randomDelay;
    private final CountDownLatch closing;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile Thread runner;
    private volatile String name = "?";

    /**
     * @param randomDelay the longest random wait before the task runs (zero: none)
     * @param closing counted down when the daemon starts stopping
     */
    TaskJob(ScheduledTask task, JobRuns runs, Heartbeat heartbeat, AlertSink alerts, Clock clock,
            Set<TaskJob> running, Duration randomDelay, CountDownLatch closing) {
        this.task = task;
        this.runs = runs;
        this.heartbeat = heartbeat;
        this.alerts = alerts;
        this.clock = clock;
        this.running = running;
        this.randomDelay = randomDelay;
        this.closing = closing;
    }

    /** The job's name, once it runs. */
    String name() {
        return name;
    }

    @Override
    public void execute(JobExecutionContext context) {
        runner = Thread.currentThread();
        String job = context.getJobDetail().getKey().getName();
        name = job;
        running.add(this);
        try {
            run(context, job);
        } finally {
            running.remove(this);
            runner = null;
            // Our own interrupt (see interrupt()) must not reach Quartz's worker thread.
            Thread.interrupted();
        }
    }

    private void run(JobExecutionContext context, String job) {
        String instanceId;
        try {
            instanceId = context.getScheduler().getSchedulerInstanceId();
        } catch (org.quartz.SchedulerException e) {
            instanceId = "unknown";
        }
        Optional<Instant> scheduled = Optional.ofNullable(context.getScheduledFireTime()).map(java.util.Date::toInstant);
        long runId = -1;
        try {
            runId = runs.started(job, context.getTrigger().getKey().getName(), scheduled, clock.instant(), instanceId);
        } catch (SQLException e) {
            LOGGER.error("Job {} runs, but its run could not be recorded: {}", job, e.getMessage());
        }
        LOGGER.info("Job {} started (due {})", job, scheduled.orElse(null));
        if (!waitRandomDelay(job)) {
            finish(runId, job, "skipped", "the scheduler stopped during the job's random delay, before it began;"
                    + " it runs at its next time");
            return;
        }
        heartbeat.start();
        String outcome;
        String detail;
        try {
            detail = task.run(stopping::get);
            outcome = "succeeded";
            heartbeat.success();
            alerts.resolve("job-" + job, "scheduled job " + job + " works again", detail);
            LOGGER.info("Job {} succeeded: {}", job, detail);
        } catch (Exception e) {
            detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            outcome = stopping.get() ? "interrupted" : "failed";
            heartbeat.failure();
            if (stopping.get()) {
                LOGGER.warn("Job {} was stopped with the scheduler: {}", job, detail);
            } else {
                LOGGER.error("Job {} failed: {}", job, detail, e);
                if (!(e instanceof AlertedFailure)) {
                    alerts.raise("job-" + job, "Scheduled job " + job + " failed", detail);
                }
            }
        }
        finish(runId, job, outcome, detail);
    }

    /** Waits the random delay, if the job has one; false when the daemon began to stop meanwhile. */
    private boolean waitRandomDelay(String job) {
        if (randomDelay.isZero()) {
            return true;
        }
        long millis = ThreadLocalRandom.current().nextLong(randomDelay.toMillis());
        LOGGER.info("Job {} waits {} s first (a random delay of up to {} s)", job, millis / 1000,
                randomDelay.toSeconds());
        try {
            return !closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void finish(long runId, String job, String outcome, String detail) {
        if ("skipped".equals(outcome)) {
            LOGGER.info("Job {} skipped: {}", job, detail);
        }
        if (runId >= 0) {
            try {
                runs.finished(runId, clock.instant(), outcome, detail);
            } catch (SQLException e) {
                LOGGER.error("Job {} {}, but its outcome could not be recorded: {}", job, outcome, e.getMessage());
            }
        }
    }

    /** The daemon is stopping and the running task has had its time: it should end now, cleanly. */
    @Override
    public void interrupt() {
        stopping.set(true);
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
