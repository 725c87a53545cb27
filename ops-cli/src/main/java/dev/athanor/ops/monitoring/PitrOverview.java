package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.backup.BackupException;
import dev.athanor.backup.pitr.ArchiveStatus;
import dev.athanor.backup.pitr.DrillResult;
import dev.athanor.backup.pitr.PitrFactory;
import dev.athanor.monitoring.status.ServerStatus;
import dev.athanor.platform.db.DatabaseServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The point-in-time recovery part of {@code ops status} and the digest: the archive's standing (from the site's
 * database), and once {@code ops pitr setup} has run, the last restore drill. A lag beyond
 * {@code backup.pitr.lagAlert}, a failing push and a failed drill need attention.
 */
final class PitrOverview {

    private PitrOverview() {
    }

    /** {@code status} with its point-in-time recovery part; what cannot be read is said there, not thrown. */
    static ServerStatus addTo(ServerStatus status, AthanorConfiguration configuration) {
        PitrFactory pitr = configuration.getBackup().getPitr();
        boolean setUp = Files.exists(pitr.getConfigFile());
        List<String> problems = new ArrayList<>();
        String archive;
        Duration lag = Duration.ZERO;
        try {
            ArchiveStatus archiveStatus = read(configuration);
            archive = archiveStatus.describe();
            lag = archiveStatus.lag();
            archiveStatus.problem(pitr.getLagAlert()).ifPresent(problem -> problems.add("point-in-time recovery: "
                    + problem));
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            archive = "unknown: " + message.lines().findFirst().orElse(message);
        }
        String drill = null;
        if (setUp) {
            try {
                Optional<DrillResult> last = DrillResult.last(configuration.getStorage().getDataDirectory());
                drill = last.map(DrillResult::describe).orElse(null);
                last.filter(result -> !result.passed()).ifPresent(result -> problems.add("point-in-time recovery:"
                        + " the last restore drill failed (ops pitr status)"));
            } catch (BackupException e) {
                drill = "unknown: " + e.getMessage();
            }
        }
        return status.withPitr(new ServerStatus.Pitr(setUp, archive, lag, null, drill), problems);
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
