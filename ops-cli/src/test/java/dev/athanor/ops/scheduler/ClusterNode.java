package dev.athanor.ops.scheduler;

import dev.athanor.backup.scheduler.Heartbeat;
import dev.athanor.backup.scheduler.JobRuns;
import dev.athanor.backup.scheduler.ScheduledTask;
import dev.athanor.backup.scheduler.SchedulerDaemon;
import dev.athanor.backup.scheduler.SchedulerFactory;
import io.dropwizard.util.Duration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A scheduler node in a process of its own, for the cluster tests: the production {@link SchedulerDaemon}, job store
 * settings and run records, with test jobs that only sleep. It stops when a line (or the end) arrives on its input.
 *
 * <p>Arguments: JDBC_URL USER PASSWORD TASK_MILLIS MISFIRE_SECONDS JOB=CRON...; a job whose name starts with
 * {@code fail} throws after sleeping.
 */
public final class ClusterNode {

    private ClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        SchedulerFactory settings = new SchedulerFactory();
        settings.setThreads(4);
        settings.setMisfireThreshold(Duration.seconds(Long.parseLong(args[4])));
        settings.setCheckinInterval(Duration.seconds(1));
        settings.setStopTimeout(Duration.seconds(30));
        long taskMillis = Long.parseLong(args[3]);
        Map<String, String> schedules = new LinkedHashMap<>();
        Map<String, ScheduledTask> tasks = new LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            String[] job = args[i].split("=", 2);
            schedules.put(job[0], job[1]);
            boolean fails = job[0].startsWith("fail");
            tasks.put(job[0], stopping -> {
                Thread.sleep(taskMillis);
                if (fails) {
                    throw new IllegalStateException("the disk is full");
                }
                return "slept " + taskMillis + " ms";
            });
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(args[2]);
        SchedulerDaemon daemon = SchedulerDaemon.create(settings.quartzProperties(args[0], args[1], args[2]), tasks,
                schedules, TimeZone.getTimeZone("UTC"), new JobRuns(dataSource), new Heartbeat(Optional.empty()),
                (key, subject, body) -> System.err.println("ALERT " + key + ": " + subject),
                settings.getStopTimeout());
        daemon.start();
        System.out.println("started " + daemon.instanceId());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        daemon.close();
        System.out.println("stopped");
        System.out.flush();
    }
}
