package dev.athanor.backup.pitr;

import dev.athanor.common.Durations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How the write-ahead log's archiving stands, read with SQL on the site's database: {@code archive_mode},
 * {@code pg_stat_archiver} and the oldest segment waiting to be archived (its {@code .ready} file's time, from
 * {@code pg_ls_archive_statusdir()}, which needs a superuser or {@code pg_monitor}).
 *
 * @param archiving {@code archive_mode} is on (or always)
 * @param at the database's clock when read
 * @param lastArchivedWal the last segment archived, if any since the statistics were reset
 * @param lastArchivedAt when it was
 * @param lastFailedWal the last segment whose archiving failed, if any
 * @param lastFailedAt when it failed
 * @param failedCount failed attempts since the statistics were reset
 * @param oldestReady the oldest segment waiting to be archived; empty when none waits or unknown
 * @param oldestReadyAt when the oldest segment still waiting was completed; empty when none waits or unknown
 * @param waiting how many segments wait to be archived (0 when unknown)
 * @param backlogUnreadable why the waiting segments could not be listed (a missing privilege); empty when they were
 */
public record ArchiveStatus(boolean archiving, Instant at, Optional<String> lastArchivedWal,
        Optional<Instant> lastArchivedAt, Optional<String> lastFailedWal, Optional<Instant> lastFailedAt,
        long failedCount, Optional<String> oldestReady, Optional<Instant> oldestReadyAt, long waiting, Optional<String> backlogUnreadable) {

    private static final String ARCHIVER = "SELECT current_setting('archive_mode'), last_archived_wal,"
            + " last_archived_time, last_failed_wal, last_failed_time, failed_count, clock_timestamp()"
            + " FROM pg_stat_archiver";
    private static final String READY = "SELECT (array_agg(left(name, -6) ORDER BY modification, name))[1],"
            + " min(modification), count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'";

    /** Reads it. Leaves {@code connection}'s transaction usable when the backlog may not be listed. */
    public static ArchiveStatus read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(10);
            boolean archiving;
            Optional<String> lastArchivedWal;
            Optional<Instant> lastArchivedAt;
            Optional<String> lastFailedWal;
            Optional<Instant> lastFailedAt;
            long failedCount;
            Instant at;
            try (ResultSet row = statement.executeQuery(ARCHIVER)) {
                row.next();
                archiving = !"off".equals(row.getString(1));
                lastArchivedWal = Optional.ofNullable(row.getString(2));
                lastArchivedAt = instant(row.getTimestamp(3));
                lastFailedWal = Optional.ofNullable(row.getString(4));
                lastFailedAt = instant(row.getTimestamp(5));
                failedCount = row.getLong(6);
                at = row.getTimestamp(7).toInstant();
            }
            Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
            try (ResultSet row = statement.executeQuery(READY)) {
                row.next();
                return new ArchiveStatus(archiving, at, lastArchivedWal, lastArchivedAt, lastFailedWal, lastFailedAt,
                        failedCount, Optional.ofNullable(row.getString(1)), instant(row.getTimestamp(2)), row.getLong(3),
                        Optional.empty());
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) { // insufficient_privilege
                    throw e;
                }
                if (savepoint != null) {
                    connection.rollback(savepoint);
                }
                return new ArchiveStatus(archiving, at, lastArchivedWal, lastArchivedAt, lastFailedWal, lastFailedAt,
                        failedCount, Optional.empty(), Optional.empty(), 0, Optional.of("the segments waiting to be archived cannot"
                                + " be listed: " + firstLine(e.getMessage()) + " (grant pg_monitor to "
                                + connection.getMetaData().getUserName() + ")"));
            }
        }
    }

    /** How long the oldest segment not yet archived has waited; zero when none waits (or it cannot be told). */
    public Duration lag() {
        return oldestReadyAt.map(ready -> Duration.between(ready, at)).filter(lag -> !lag.isNegative())
                .orElse(Duration.ZERO);
    }

    /** The last push failed and none succeeded since. */
    public boolean failing() {
        return lastFailedAt.isPresent() && (lastArchivedAt.isEmpty() || lastFailedAt.get().isAfter(
                lastArchivedAt.get()));
    }

    /** How long ago the last segment was archived. */
    public Optional<Duration> lastArchivedAge() {
        return lastArchivedAt.map(then -> Duration.between(then, at));
    }

    /** What needs attention: a failing push, a lag beyond {@code lagAlert}; empty when archiving is fine or off. */
    public Optional<String> problem(Duration lagAlert) {
        if (!archiving) {
            return Optional.empty();
        }
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (failing()) {
            problems.add(pushFailure());
        }
        if (lagging(lagAlert)) {
            problems.add(lagProblem());
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** Archiving is on and the oldest segment waiting has waited longer than {@code lagAlert}. */
    public boolean lagging(Duration lagAlert) {
        return archiving && lag().compareTo(lagAlert) > 0;
    }

    /** The failing push in words: the segment, how long ago, how many failures. */
    public String pushFailure() {
        return "archiving " + lastFailedWal.orElse("a segment") + " failed " + ago(lastFailedAt) + " (" + failedCount
                + " failure(s) since the statistics were reset); " + lastArchived();
    }

    /** The lag in words: how many segments wait and for how long. */
    public String lagProblem() {
        return "the archive lags " + Durations.human(lag()) + ": " + waiting + " segment(s) waiting"
                + oldestReady.map(wal -> ", the oldest " + wal).orElse("") + "; " + lastArchived();
    }

    /** One line for status pages: off, or the lag and the last archived segment. */
    public String describe() {
        if (!archiving) {
            return "archiving off";
        }
        String lag = backlogUnreadable.orElse(waiting == 0 ? "nothing waiting" : "lag " + Durations.human(lag())
                + " (" + waiting + " segment(s) waiting)");
        return lag + "; " + (failing() ? "FAILING: " + pushFailure() : lastArchived());
    }

    private String lastArchived() {
        return lastArchivedWal.map(wal -> "last archived " + wal + " " + ago(lastArchivedAt))
                .orElse("nothing archived yet");
    }

    private String ago(Optional<Instant> then) {
        return then.map(time -> Durations.human(Duration.between(time, at)) + " ago").orElse("at an unknown time");
    }

    private static Optional<Instant> instant(Timestamp timestamp) {
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }

    private static String firstLine(String message) {
        return message == null ? "permission denied" : message.lines().findFirst().orElse(message);
    }
}
