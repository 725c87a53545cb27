package dev.athanor.backup.pitr;

import dev.athanor.backup.AlertSink;
import dev.athanor.common.Durations;
import java.time.Duration;

/**
 * The scheduler's {@code pitr-watch}: alerts while the write-ahead log's archiving lags beyond
 * {@code backup.pitr.lagAlert} ({@code pitr-lag}, the alert key {@code pitr / lag}) or a push fails
 * ({@code pitr-push}, {@code pitr / push}), and sends the recovery note once it is over. Archiving that is off raises
 * nothing (and closes what was open).
 */
public final class ArchiveWatch {

    public static final String LAG_ALERT = "pitr-lag";
    public static final String PUSH_ALERT = "pitr-push";

    private static final String WHERE_TO_LOOK = "\n\nSee ops pitr status, and pgBackRest's log (archive-push) in the"
            + " directory of backup.pitr. Until the archive catches up, a restore cannot reach the moments since the"
            + " last archived segment, and the write-ahead log piles up on the database's disk.";

    private final AlertSink alerts;
    private final Duration lagAlert;

    public ArchiveWatch(AlertSink alerts, Duration lagAlert) {
        this.alerts = alerts;
        this.lagAlert = lagAlert;
    }

    /** Raises or resolves both alerts for {@code status}; returns what needs attention, if anything. */
    public java.util.Optional<String> judge(ArchiveStatus status) {
        if (status.failing()) {
            alerts.raise(PUSH_ALERT, "Point-in-time recovery: archiving " + status.lastFailedWal().orElse("a segment")
                    + " fails", status.pushFailure() + WHERE_TO_LOOK);
        } else {
            alerts.resolve(PUSH_ALERT, "Point-in-time recovery: archiving works again", status.describe());
        }
        if (status.lagging(lagAlert)) {
            alerts.raise(LAG_ALERT, "Point-in-time recovery: the archive lags " + Durations.human(status.lag()),
                    status.lagProblem() + " (alert beyond " + Durations.human(lagAlert) + ")" + WHERE_TO_LOOK);
        } else {
            alerts.resolve(LAG_ALERT, "Point-in-time recovery: the archive caught up", status.describe());
        }
        return status.problem(lagAlert);
    }
}
