package dev.athanor.ops.scheduler;

import dev.athanor.backup.PostgresTarget;
import dev.athanor.backup.scheduler.Heartbeat;
import dev.athanor.backup.scheduler.JobRuns;
import dev.athanor.backup.scheduler.SchedulerDaemon;
import dev.athanor.backup.scheduler.SchedulerFactory;
import dev.athanor.ops.backup.BackupSession;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.Migrations;
import java.time.Duration;
import java.time.Instant;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ops scheduler run}: the scheduler daemon in the foreground (systemd runs it as athanor-scheduler.service). It
 * applies pending migrations, joins the Quartz cluster in the site's database and runs the jobs of
 * {@code scheduler.jobs} ({@link SchedulerTasks}) until SIGTERM; then it lets a running job finish within
 * {@code scheduler.stopTimeout}, or stops it cleanly, and exits. Its log goes to {@code scheduler.log}
 * ({@link SchedulerLog}) and standard error; its alerts through the alert sender.
 */
@Command(name = "run", description = "Run the scheduler daemon in the foreground, until SIGTERM (systemd runs it as"
        + " athanor-scheduler.service).")
final class SchedulerRunCommand implements Callable<Integer> {

    private static final Logger LOGGER = LoggerFactory.getLogger(SchedulerRunCommand.class);
    private static final Duration RUN_HISTORY = Duration.ofDays(90);
    private static final Duration WATCHDOG_INTERVAL = Duration.ofMinutes(5);

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BackupSession session = BackupSession.open(config);
        SchedulerLog log = SchedulerLog.start(session.configuration().getStorage().getLogDirectory());
        try {
            DatabaseServer server = session.server();
            PostgresTarget database = session.database();
            DataSource dataSource = server.dataSource("athanor-scheduler");
            new Migrations(dataSource).migrate();
            SchedulerFactory settings = session.configuration().getScheduler();
            JobRuns runs = new JobRuns(dataSource);
            runs.deleteOlderThan(Instant.now(), RUN_HISTORY);
            SchedulerDaemon daemon = SchedulerDaemon.create(
                    settings.quartzProperties(server.jdbcUrl(), server.user(), server.password()),
                    SchedulerTasks.of(session, database, config), settings.getEnabledJobs(),
                    TimeZone.getTimeZone(settings.getTimeZone()), runs, new Heartbeat(settings.getHeartbeatUrl()),
                    session.alertSink(), settings.getStopTimeout(), settings.getRandomDelays());
            SchedulerWatchdog watchdog = new SchedulerWatchdog(session.backups(),
                    session.configuration().getBackup().getPeriod(), session.configuration().getBackup().getGrace(),
                    settings, dataSource, session.alertSink());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOGGER.info("Stopping the scheduler");
                watchdog.close();
                daemon.close();
                session.close();
                log.close();
                stopped.countDown();
            }, "scheduler-stop"));
            daemon.start();
            watchdog.start(WATCHDOG_INTERVAL);
            String started = String.format("Scheduler node %s running %s on %s; backups to %s; alerts to %s.",
                    daemon.instanceId(), settings.getEnabledJobs().keySet(), server.describe(),
                    session.backups().describeStorage(), String.join(", ", session.alerts().destinations()));
            LOGGER.info(started);
            spec.commandLine().getOut().println(started);
            spec.commandLine().getOut().flush();
            stopped.await();
            return 0;
        } catch (Exception | Error e) {
            session.close();
            log.close();
            throw e;
        }
    }
}
