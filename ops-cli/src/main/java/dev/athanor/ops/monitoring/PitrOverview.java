package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.BackupException;
import dev.athanor.backup.pitr.ArchiveStatus;
import dev.athanor.backup.pitr.DrillResult;
import dev.athanor.backup.pitr.PitrFactory;
import dev.athanor.backup.pitr.RecoveryWindow;
import dev.athanor.common.Durations;
import dev.athanor.monitoring.status.ServerStatus;
import dev.athanor.ops.pitr.PitrSite;
import dev.athanor.platform.db.DatabaseServer;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * The point-in-time recovery part of {@code ops status} and the digest: the archive's standing (from the site's
 * database), and once {@code ops pitr setup} has run, the recovery window (pgBackRest's repository) and the last restore
 * drill. A lag beyond
 * {@code backup.pitr.lagAlert}, a failing push and a failed drill need attention.
 */
final class PitrOverview {

    /** pgBackRest's answer on the window may take this many {@code monitoring.timeout}s (it reads the storage). */
    private static final int WINDOW_TIMEOUTS = 3;

    private PitrOverview() {
    }

    /** {@code status} with its point-in-time recovery part; what cannot be read is said there, not thrown. */
    static ServerStatus addTo(ServerStatus status, AthanorConfiguration configuration) {
        PitrFactory pitr = configuration.getBackup().getPitr();
        boolean setUp = PitrSite.of(configuration).isSetUp();
        List<String> problems = new ArrayList<>();
        String archive;
        Duration lag = Duration.ZERO;
        Optional<Instant> lastArchived = Optional.empty();
        try {
            ArchiveStatus archiveStatus = read(configuration);
            lastArchived = archiveStatus.lastArchivedAt();
            archive = archiveStatus.describe();
            lag = archiveStatus.lag();
            archiveStatus.problem(pitr.getLagAlert()).ifPresent(problem -> problems.add("point-in-time recovery: "
                    + problem));
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            archive = "unknown: " + message.lines().findFirst().orElse(message);
        }
        String drill = null;
        String window = null;
        if (setUp) {
            window = window(configuration, lastArchived);
            try {
                Optional<DrillResult> last = DrillResult.last(configuration.getStorage().getDataDirectory());
                drill = last.map(DrillResult::describe).orElse(null);
                last.filter(result -> !result.passed()).ifPresent(result -> problems.add("point-in-time recovery:"
                        + " the last restore drill failed (ops pitr status)"));
            } catch (BackupException e) {
                drill = "unknown: " + e.getMessage();
            }
        }
        return status.withPitr(new ServerStatus.Pitr(setUp, archive, lag, window, drill), problems);
    }

    /**
     * The recovery window as pgBackRest's repository says, in words; bounded in time (pgBackRest may wait long for
     * a storage that does not answer).
     */
    private static String window(AthanorConfiguration configuration, Optional<Instant> lastArchived) {
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pitr-window");
            thread.setDaemon(true);
            return thread;
        });
        Future<Optional<RecoveryWindow>> reading = executor.submit(() -> PitrSite.of(configuration).pgBackRest()
                .info().window(lastArchived));
        Duration timeout = configuration.getMonitoring().getTimeout().multipliedBy(WINDOW_TIMEOUTS);
        try {
            return reading.get(timeout.toMillis(), TimeUnit.MILLISECONDS).map(window -> window.oldest() + " to "
                    + window.newest() + " (" + Durations.human(Duration.between(window.oldest(), window.newest()))
                    + ")").orElse("none yet: no complete backup");
        } catch (TimeoutException e) {
            reading.cancel(true);
            return "unknown: pgbackrest info did not answer within " + Durations.human(timeout);
        } catch (ExecutionException e) {
            String message = e.getCause().getMessage() == null ? e.getCause().getClass().getSimpleName()
                    : e.getCause().getMessage();
            return "unknown: " + message.lines().findFirst().orElse(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown: interrupted";
        } finally {
            executor.shutdownNow();
        }
    }

    private static ArchiveStatus read(AthanorConfiguration configuration) throws Exception {
        try (DatabaseServer server = configuration.getDatabase().start()) {
            DataSource dataSource = server.dataSource("athanor-ops-status");
            dataSource.setLoginTimeout(5);
            try (Connection connection = dataSource.getConnection()) {
                return ArchiveStatus.read(connection);
            }
        }
    }
}
