package dev.athanor.ops.pitr;

import dev.athanor.backup.AlertSink;
import dev.athanor.backup.pitr.Cluster;
import dev.athanor.backup.pitr.DrillResult;
import dev.athanor.backup.pitr.PgBackRest;
import dev.athanor.backup.pitr.PitrException;
import dev.athanor.backup.pitr.PitrMark;
import dev.athanor.backup.pitr.PitrMarks;
import dev.athanor.backup.pitr.RecoveryTarget;
import dev.athanor.backup.pitr.RecoveryWindow;
import dev.athanor.backup.pitr.RestoredServer;
import dev.athanor.common.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The restore drill ({@code ops pitr drill}, the scheduler's {@code pitr-drill}): restores the repository into a
 * scratch cluster at the moment of the newest row-count mark more than ten minutes old (archiving off in the copy),
 * starts it, counts the mark's tables and compares; the scratch cluster is stopped and deleted whatever happens. The
 * result is kept ({@link DrillResult}, {@code storage.dataDirectory/pitr-drill.json}); a failed drill alerts
 * ({@code pitr / drill}), a passing one closes that alert.
 */
public final class RestoreDrill {

    /** A mark younger than this may not be archived yet (the archive lags up to archive_timeout and lagAlert). */
    public static final Duration MARK_AGE = Duration.ofMinutes(10);
    public static final String ALERT = "pitr-drill";
    /** How long replaying the log into the scratch cluster may take. */
    static final Duration RECOVERY_TIMEOUT = Duration.ofHours(1);

    private final PitrSite site;
    private final DataSource siteDatabase;
    private final String databaseName;
    private final AlertSink alerts;
    private final Duration markAge;
    private final Consumer<String> say;

    /**
     * @param siteDatabase the site's database, where the marks are
     * @param databaseName its name, to count in the restored copy
     * @param markAge the drill restores to the newest mark at least this old ({@link #MARK_AGE})
     */
    public RestoreDrill(PitrSite site, DataSource siteDatabase, String databaseName, AlertSink alerts,
            Duration markAge, Consumer<String> say) {
        this.site = site;
        this.siteDatabase = siteDatabase;
        this.databaseName = databaseName;
        this.alerts = alerts;
        this.markAge = markAge;
        this.say = say;
    }

    /**
     * Runs the drill and records its result; empty (with the reason told to {@code say}) when there is no mark to
     * restore to yet.
     *
     * @throws PitrException when point-in-time recovery is not set up or the repository cannot be read
     * @throws SQLException when the marks cannot be read
     */
    public Optional<DrillResult> run() throws PitrException, SQLException, IOException {
        PgBackRest pgBackRest = site.pgBackRest();
        Optional<PitrMark> found;
        try (Connection connection = siteDatabase.getConnection()) {
            found = PitrMarks.newestOlderThan(connection, markAge);
        }
        Optional<RecoveryWindow> window = pgBackRest.info().window(Optional.empty());
        boolean runningADay = window.isPresent() && window.get().oldest().isBefore(Instant.now().minus(
                Duration.ofDays(1)));
        Instant stale = Instant.now().minus(markAge).minus(Duration.ofHours(2));
        if (runningADay && (found.isEmpty() || found.get().markedAt().isBefore(stale))) {
            // a day after setup, "nothing to drill" would hide marks that stopped: a drill that checks nothing fails
            return Optional.of(record(new DrillResult(Instant.now(), found.map(PitrMark::id).orElse(null),
                    found.map(PitrMark::markedAt).orElse(null), List.of(), "no row-count mark taken in the last "
                    + Durations.human(Duration.between(stale, Instant.now())) + ": the pitr-mark job is not running"
                    + " or fails (ops scheduler status)", Duration.ZERO)));
        }
        if (found.isEmpty() || window.isEmpty() || found.get().markedAt().isBefore(window.get().oldest())) {
            String age = Durations.human(markAge);
            say.accept("Nothing to drill yet: " + (found.isEmpty() ? "no row-count mark more than " + age + " old"
                    + " (pitr-mark takes one hourly)" : window.isEmpty() ? "no complete backup in the repository"
                            : "the newest mark more than " + age + " old (" + found.get().markedAt() + ") is older"
                                    + " than the first backup (" + window.get().oldest() + ")"));
            return Optional.empty();
        }
        PitrMark mark = found.get();
        Instant began = Instant.now();
        List<String> differences = List.of();
        String error = null;
        try {
            differences = PitrMarks.compare(mark.counts(), restoreAndCount(pgBackRest, mark));
        } catch (PitrException | RuntimeException e) {
            error = e.getMessage(); // a restore that failed, or counts that could not be read: the drill failed
        }
        return Optional.of(record(new DrillResult(began, mark.id(), mark.markedAt(), differences, error,
                Duration.between(began, Instant.now()))));
    }

    /** Keeps the result, says it, and raises or resolves the drill's alert. */
    private DrillResult record(DrillResult result) throws IOException {
        result.save(site.configuration().getStorage().getDataDirectory());
        say.accept(result.describe());
        if (result.passed()) {
            alerts.resolve(ALERT, "Point-in-time recovery: the restore drill passes again", result.describe());
        } else {
            alerts.raise(ALERT, "Point-in-time recovery: the restore drill FAILED", result.describe()
                    + "\n\nThe repository could not give back the database as it was at the mark. Run ops pitr drill"
                    + " to try again, and see ops pitr status and pgBackRest's log in " + site.settings()
                            .getDirectory() + ".");
        }
        return result;
    }

    private Map<String, Long> restoreAndCount(PgBackRest pgBackRest, PitrMark mark) throws PitrException {
        Cluster cluster = pgBackRest.cluster();
        SetupFiles files = new SetupFiles(cluster);
        Path scratch = site.settings().getDirectory().toAbsolutePath().normalize().resolve("drill");
        SiteRestore.stopLeftover(scratch); // a drill that was killed may have left its server running
        SiteRestore.deleteQuietly(scratch);
        Path sockets = null;
        try {
            files.directories(scratch, List.of());
            sockets = Files.createTempDirectory("athanor-drill-");
            files.directories(sockets, List.of());
            say.accept("Restoring to mark " + mark.id() + " (" + mark.markedAt() + ") into " + scratch);
            pgBackRest.restore(scratch, RecoveryTarget.at(mark.markedAt()), false);
            Cluster copy = cluster.elsewhere("the drill's scratch cluster in " + scratch, scratch, sockets,
                    SiteRestore.freePort());
            try (RestoredServer server = RestoredServer.recover(copy, RECOVERY_TIMEOUT)) {
                say.accept("Counting " + mark.counts().size() + " table(s)");
                return PitrMarks.parseCounts(copy.sql(databaseName, PitrMarks.countQuery(mark.counts().keySet())));
            }
        } catch (IOException e) {
            throw new PitrException("could not make a socket directory: " + e.getMessage(), PitrException.FAILED, e);
        } finally {
            SiteRestore.deleteQuietly(scratch);
            SiteRestore.deleteQuietly(scratch.resolveSibling(scratch.getFileName() + ".log"));
            if (sockets != null) {
                SiteRestore.deleteQuietly(sockets);
            }
        }
    }
}
