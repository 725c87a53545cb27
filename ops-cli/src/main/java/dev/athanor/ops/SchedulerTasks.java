package dev.athanor.ops;

import dev.athanor.backup.BackupFailedException;
import dev.athanor.backup.BackupKind;
import dev.athanor.backup.BackupResult;
import dev.athanor.backup.BackupVerification;
import dev.athanor.backup.Backups;
import dev.athanor.backup.Durations;
import dev.athanor.backup.PostgresTarget;
import dev.athanor.backup.PruneResult;
import dev.athanor.backup.ToolNotFoundException;
import dev.athanor.backup.TransferProgress;
import dev.athanor.backup.VerificationFailedException;
import dev.athanor.backup.scheduler.AlertedFailure;
import dev.athanor.backup.scheduler.ScheduledTask;
import java.util.Map;
import java.util.Optional;

/**
 * The work behind each job name of {@code scheduler.jobs}: a backup then prune (daily and weekly), and a verification
 * of the newest backup. A failure the backups alerted about themselves is passed on as an {@link AlertedFailure}, so
 * that the job does not send a second message about it.
 */
final class SchedulerTasks {

    private SchedulerTasks() {
    }

    static Map<String, ScheduledTask> of(Backups backups, PostgresTarget database) {
        return Map.of(
                "backup-daily", stopping -> backupAndPrune(backups, database, BackupKind.DAILY, stopping),
                "backup-weekly", stopping -> backupAndPrune(backups, database, BackupKind.WEEKLY, stopping),
                "verify-weekly", stopping -> {
                    try {
                        BackupVerification verification = backups.verify(Optional.empty(), database,
                                TransferProgress.NONE);
                        return "verified " + verification.id() + ": " + verification.detail();
                    } catch (VerificationFailedException e) {
                        throw new AlertedFailure(e); // backup-verify went out
                    }
                });
    }

    private static String backupAndPrune(Backups backups, PostgresTarget database, BackupKind kind,
            java.util.function.BooleanSupplier stopping) throws Exception {
        BackupResult result;
        try {
            result = backups.run(kind, database, TransferProgress.NONE, stopping);
        } catch (BackupFailedException | ToolNotFoundException e) {
            throw new AlertedFailure(e); // backup-failed went out
        }
        PruneResult prune = backups.prune(false);
        return "backup " + result.manifest().id() + " (" + Durations.bytes(result.manifest().bytes()) + ")"
                + (result.muchSmaller() ? ", much smaller than the previous one" : "") + "; prune: "
                + prune.plan().refusal().orElse(prune.plan().kept().size() + " kept, " + prune.deleted().size()
                        + " deleted");
    }
}
