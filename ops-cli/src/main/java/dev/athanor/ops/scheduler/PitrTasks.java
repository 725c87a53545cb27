package dev.athanor.ops.scheduler;

import dev.athanor.backup.pitr.ArchiveStatus;
import dev.athanor.backup.pitr.BackupType;
import dev.athanor.backup.pitr.DrillResult;
import dev.athanor.backup.pitr.PgBackRest;
import dev.athanor.backup.pitr.ArchiveWatch;
import dev.athanor.backup.pitr.PitrFactory;
import dev.athanor.backup.pitr.PitrMark;
import dev.athanor.backup.pitr.PitrMarks;
import dev.athanor.backup.scheduler.AlertedFailure;
import dev.athanor.backup.scheduler.ScheduledTask;
import dev.athanor.common.Sizes;
import dev.athanor.ops.backup.BackupSession;
import dev.athanor.ops.pitr.PitrDrillCommand;
import dev.athanor.ops.pitr.PitrSite;
import dev.athanor.ops.pitr.RestoreDrill;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The point-in-time recovery jobs, each skipped (a log line, and a run detail saying so) until {@code ops pitr setup}
 * has run:
 *
 * <ul>
 *   <li>{@code pitr-full}, {@code pitr-diff}: {@code ops pitr backup [--full]}, a pgBackRest base backup, which then
 *       expires what the recovery window no longer needs;
 *   <li>{@code pitr-drill}: {@code ops pitr drill} ({@link RestoreDrill}); a failed drill alerts ({@code pitr /
 *       drill}) and is recorded as a failed run, not alerted twice;
 *   <li>{@code pitr-mark}: the row-count mark the restore drill compares with ({@link PitrMarks}); marks older than
 *       the recovery window and a day are deleted;
 *   <li>{@code pitr-watch}: the archive's lag and failed pushes ({@link ArchiveWatch}); what needs attention is
 *       alerted ({@code pitr / lag}, {@code pitr / push}) and the run recorded as failed, not alerted twice.
 * </ul>
 */
final class PitrTasks {

    static final String NOT_SET_UP = "point-in-time recovery is not set up (ops pitr setup)";

    private static final Logger LOGGER = LoggerFactory.getLogger(PitrTasks.class);

    private final BackupSession session;
    private final PitrSite site;
    private final PitrFactory pitr;

    private PitrTasks(BackupSession session) {
        this.session = session;
        this.site = PitrSite.of(session.configuration());
        this.pitr = site.settings();
    }

    /** Adds the jobs to {@code tasks}. */
    static void addTo(Map<String, ScheduledTask> tasks, BackupSession session) {
        PitrTasks pitrTasks = new PitrTasks(session);
        tasks.put("pitr-full", stopping -> pitrTasks.ifSetUp("pitr-full", () -> pitrTasks.backup(BackupType.FULL)));
        tasks.put("pitr-diff", stopping -> pitrTasks.ifSetUp("pitr-diff", () -> pitrTasks.backup(BackupType.DIFF)));
        tasks.put("pitr-drill", stopping -> pitrTasks.ifSetUp("pitr-drill", pitrTasks::drill));
        tasks.put("pitr-mark", stopping -> pitrTasks.ifSetUp("pitr-mark", pitrTasks::mark));
        tasks.put("pitr-watch", stopping -> pitrTasks.ifSetUp("pitr-watch", pitrTasks::watch));
    }

    /** Why the scheduler does not drill a system cluster itself, and what to do instead. */
    static final String SYSTEM_DRILL = "the drill of a system PostgreSQL restores and starts a copy as postgres, which"
            + " the scheduler (athanor) may not: run it from root's crontab instead, as docs/pitr.md shows";

    private interface Work {
        String run() throws Exception;
    }

    private String ifSetUp(String job, Work work) throws Exception {
        if (!site.isSetUp()) {
            LOGGER.info("{} skipped: {}", job, NOT_SET_UP);
            return "skipped: " + NOT_SET_UP;
        }
        return work.run();
    }

    private String backup(BackupType type) throws Exception {
        session.server(); // the embedded cluster runs while the scheduler does
        site.backup(type);
        if (site.backsUpThroughUnits()) {
            return "backup taken by " + PitrSite.backupUnit(type) + " (as postgres)";
        }
        PgBackRest pgBackRest = site.pgBackRest();
        return pgBackRest.info().newest().map(newest -> "backup " + newest.label() + " (" + newest.type() + "): "
                + Sizes.human(newest.databaseBytes()) + " of database, " + Sizes.human(newest.repositoryBytes())
                + " stored").orElse("pgbackrest reported success but the repository lists no backup");
    }

    private String drill() throws Exception {
        if (site.backsUpThroughUnits()) {
            LOGGER.info("pitr-drill skipped: {}", SYSTEM_DRILL);
            return "skipped: " + SYSTEM_DRILL;
        }
        List<String> said = new ArrayList<>();
        Optional<DrillResult> result = PitrDrillCommand.drill(session, RestoreDrill.MARK_AGE, line -> {
            LOGGER.info("pitr-drill: {}", line);
            said.add(line);
        }).run();
        if (result.isEmpty()) {
            return "skipped: " + said.get(said.size() - 1);
        }
        if (!result.get().passed()) {
            throw new AlertedFailure(new IllegalStateException(result.get().describe())); // pitr / drill went out
        }
        return result.get().describe();
    }

    private String mark() throws Exception {
        long began = System.nanoTime();
        try (Connection connection = session.server().dataSource("athanor-pitr-mark").getConnection()) {
            PitrMark mark = PitrMarks.mark(connection);
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            int deleted = PitrMarks.deleteOlderThan(connection, mark.markedAt().minus(pitr.getWindow())
                    .minus(Duration.ofDays(1)));
            return "mark " + mark.id() + " at " + mark.markedAt() + ": " + mark.counts().size() + " table(s), "
                    + mark.counts().values().stream().mapToLong(Long::longValue).sum() + " row(s), in "
                    + took.toMillis() + " ms" + (deleted == 0 ? "" : "; " + deleted + " old mark(s) deleted");
        }
    }

    private String watch() throws Exception {
        ArchiveStatus status;
        try (Connection connection = session.server().dataSource("athanor-pitr-watch").getConnection()) {
            status = ArchiveStatus.read(connection);
        }
        Optional<String> problem = new ArchiveWatch(session.alertSink(), pitr.getLagAlert()).judge(status);
        if (problem.isPresent()) {
            throw new AlertedFailure(new IllegalStateException(problem.get())); // pitr / lag or push went out
        }
        return status.describe();
    }
}
