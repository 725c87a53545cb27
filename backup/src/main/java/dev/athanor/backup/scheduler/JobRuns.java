package dev.athanor.backup.scheduler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The record of every scheduled job run, in {@code scheduler_job_runs} (migration V21). */
public final class JobRuns {

    /** One run. */
    public record Run(long id, String job, String trigger, Optional<Instant> scheduledAt, Instant startedAt,
            Optional<Instant> finishedAt, String outcome, String instanceId, Optional<String> detail) {
    }

    private static final int MAX_DETAIL = 2000;

    private final DataSource dataSource;

    public JobRuns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records that a run started; returns its id. */
    public long started(String job, String trigger, Optional<Instant> scheduledAt, Instant startedAt,
            String instanceId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO scheduler_job_runs (job_name, trigger_name, scheduled_at, started_at, outcome,
                                                        instance_id)
                        VALUES (?, ?, ?, ?, 'running', ?) RETURNING id""")) {
            insert.setString(1, job);
            insert.setString(2, trigger);
            insert.setTimestamp(3, scheduledAt.map(Timestamp::from).orElse(null));
            insert.setTimestamp(4, Timestamp.from(startedAt));
            insert.setString(5, instanceId);
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Records how a run ended. */
    public void finished(long id, Instant finishedAt, String outcome, String detail) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE scheduler_job_runs SET finished_at = ?, outcome = ?, detail = ? WHERE id = ?")) {
            update.setTimestamp(1, Timestamp.from(finishedAt));
            update.setString(2, outcome);
            update.setString(3, detail == null ? null
                    : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail);
            update.setLong(4, id);
            update.executeUpdate();
        }
    }

    /** The newest run of each job. */
    public List<Run> latestPerJob() throws SQLException {
        return query("""
                SELECT DISTINCT ON (job_name) * FROM scheduler_job_runs
                ORDER BY job_name, started_at DESC, id DESC""");
    }

    /** Every run, oldest first (for tests and audits of a short window). */
    public List<Run> all() throws SQLException {
        return query("SELECT * FROM scheduler_job_runs ORDER BY started_at, id");
    }

    /** Deletes runs older than {@code age}. */
    public int deleteOlderThan(Instant now, Duration age) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM scheduler_job_runs WHERE started_at < ?")) {
            delete.setTimestamp(1, Timestamp.from(now.minus(age)));
            return delete.executeUpdate();
        }
    }

    private List<Run> query(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            List<Run> runs = new ArrayList<>();
            while (rows.next()) {
                runs.add(new Run(rows.getLong("id"), rows.getString("job_name"), rows.getString("trigger_name"),
                        instant(rows, "scheduled_at"), rows.getTimestamp("started_at").toInstant(),
                        instant(rows, "finished_at"), rows.getString("outcome"), rows.getString("instance_id"),
                        Optional.ofNullable(rows.getString("detail"))));
            }
            return runs;
        }
    }

    private static Optional<Instant> instant(ResultSet rows, String column) throws SQLException {
        Timestamp timestamp = rows.getTimestamp(column);
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }
}
