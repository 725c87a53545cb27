package dev.athanor.ops.scheduler;

import dev.athanor.backup.pitr.ArchiveStatus;
import dev.athanor.backup.pitr.ArchiveWatch;
import dev.athanor.backup.pitr.PitrFactory;
import dev.athanor.backup.pitr.PitrMark;
import dev.athanor.backup.pitr.PitrMarks;
import dev.athanor.backup.scheduler.AlertedFailure;
import dev.athanor.backup.scheduler.ScheduledTask;
import dev.athanor.ops.backup.BackupSession;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The point-in-time recovery jobs, each skipped (a log line, and a run detail saying so) until {@code ops pitr setup}
 * has run:
 *
 * <ul>
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
    private final PitrFactory pitr;

    private PitrTasks(BackupSession session) {
        this.session = session;
        this.pitr = session.configuration().getBackup().getPitr();
    }

    /** Adds the jobs to {@code tasks}. */
    static void addTo(Map<String, ScheduledTask> tasks, BackupSession session) {
        PitrTasks pitrTasks = new PitrTasks(session);
        tasks.put("pitr-full", stopping -> pitrTasks.ifSetUp("pitr-full", () -> "skipped: not in this release"));
        tasks.put("pitr-diff", stopping -> pitrTasks.ifSetUp("pitr-diff", () -> "skipped: not in this release"));
        tasks.put("pitr-drill", stopping -> pitrTasks.ifSetUp("pitr-drill", () -> "skipped: not in this release"));
        tasks.put("pitr-mark", stopping -> pitrTasks.ifSetUp("pitr-mark", pitrTasks::mark));
        tasks.put("pitr-watch", stopping -> pitrTasks.ifSetUp("pitr-watch", pitrTasks::watch));
    }

    private interface Work {
        String run() throws Exception;
    }

    private String ifSetUp(String job, Work work) throws Exception {
        if (!Files.exists(pitr.getConfigFile())) {
            LOGGER.info("{} skipped: {}", job, NOT_SET_UP);
            return "skipped: " + NOT_SET_UP;
        }
        return work.run();
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
