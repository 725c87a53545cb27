package dev.athanor.backup.scheduler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The scheduler as its tables show it, read with plain SQL (no Quartz needed): the nodes and when they last checked
 * in, each job's trigger state, next and previous fire and last run, and what is wrong. "Wrong" includes the silent
 * failures: no node running, a trigger that should have fired long ago but has not (a store that fires nothing, such
 * as Quartz with the wrong driver delegate), a trigger in ERROR, a job whose last run failed.
 */
public record SchedulerStatus(List<Node> nodes, List<Job> jobs, List<String> problems) {

    private static final String TABLES_PROBLEM = "the scheduler's tables";

    /** A scheduler process. */
    public record Node(String instanceId, Instant lastCheckin, Duration checkinInterval) {
    }

    /** A scheduled job. */
    public record Job(String name, String state, Optional<Instant> nextFire, Optional<Instant> previousFire,
            Optional<JobRuns.Run> lastRun) {
    }

    public boolean healthy() {
        return problems.isEmpty();
    }

    /** No node has ever checked in and no job is scheduled: the scheduler was never started here (a fresh setup). */
    public boolean neverStarted() {
        return readable() && nodes.isEmpty() && jobs.isEmpty();
    }

    /** Whether the scheduler's tables could be read at all (they exist and the database answered). */
    public boolean readable() {
        return problems.stream().noneMatch(problem -> problem.startsWith(TABLES_PROBLEM));
    }

    /**
     * Reads the scheduler's state.
     *
     * @param misfireThreshold how late a fire may be before it counts as missed; a working store moves a missed
     *     fire's time up to now at least that often, so a fire more than three times as late means nothing fires
     */
    public static SchedulerStatus read(DataSource dataSource, String schedulerName, Duration misfireThreshold,
            Duration checkinInterval, Instant now) {
        List<String> problems = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state
                    WHERE sched_name = ? ORDER BY instance_name""")) {
                statement.setString(1, schedulerName);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        nodes.add(new Node(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
                                Duration.ofMillis(rows.getLong(3))));
                    }
                }
            }
            Map<String, JobRuns.Run> lastRuns = new JobRuns(dataSource).latestPerJob().stream()
                    .collect(Collectors.toMap(JobRuns.Run::job, Function.identity()));
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT job_name, trigger_state, next_fire_time, prev_fire_time FROM qrtz_triggers
                    WHERE sched_name = ? AND trigger_group = ? ORDER BY job_name""")) {
                statement.setString(1, schedulerName);
                statement.setString(2, SchedulerDaemon.GROUP);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        jobs.add(new Job(rows.getString(1), rows.getString(2), epoch(rows.getLong(3)),
                                epoch(rows.getLong(4)), Optional.ofNullable(lastRuns.get(rows.getString(1)))));
                    }
                }
            }
        } catch (SQLException e) {
            String reason = TABLES_PROBLEM + ("42P01".equals(e.getSQLState())
                    ? " are missing (run ops db migrate)" : " could not be read: " + e.getMessage());
            return new SchedulerStatus(List.of(), List.of(), List.of(reason));
        }
        boolean nodeAlive = nodes.stream().anyMatch(node -> node.lastCheckin()
                .plus(node.checkinInterval().multipliedBy(3)).plusSeconds(30).isAfter(now));
        if (!nodeAlive) {
            problems.add(nodes.isEmpty() ? "no scheduler node has ever run (start ops scheduler run)"
                    : "no scheduler node is running (last check-in "
                            + nodes.stream().map(Node::lastCheckin).max(Instant::compareTo).orElseThrow() + ")");
        }
        if (jobs.isEmpty()) {
            problems.add("no job is scheduled");
        }
        Duration slack = misfireThreshold.multipliedBy(3).plus(checkinInterval.multipliedBy(2));
        for (Job job : jobs) {
            if ("ERROR".equals(job.state())) {
                problems.add("job " + job.name() + " has a trigger in ERROR state");
            } else if (nodeAlive && !"BLOCKED".equals(job.state()) && job.nextFire().isPresent()
                    && job.nextFire().get().plus(slack).isBefore(now)) {
                problems.add("job " + job.name() + " was due at " + job.nextFire().get()
                        + " and has not fired: the scheduler's store fires nothing (check its configuration)");
            }
            job.lastRun().filter(run -> "failed".equals(run.outcome())).ifPresent(run -> problems.add(
                    "job " + job.name() + " failed at " + run.startedAt() + ": " + run.detail().orElse("")));
        }
        return new SchedulerStatus(List.copyOf(nodes), List.copyOf(jobs), List.copyOf(problems));
    }

    private static Optional<Instant> epoch(long millis) {
        return millis <= 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }
}
