package dev.athanor.backup;

import dev.athanor.backup.retention.RetentionPlan;
import java.util.List;

/**
 * What {@code prune} decided and did.
 *
 * @param deleted the backups whose objects were deleted (none on a dry run or a refusal)
 * @param removedFailureRecords failure records older than every kept backup, removed with them
 * @param unfinished backups found not to have finished (their process stopped): their partial dumps removed and each
 *     recorded as a failed attempt (on a dry run, what would be)
 */
public record PruneResult(RetentionPlan plan, boolean dryRun, List<String> deleted, int removedFailureRecords,
        List<BackupFailure> unfinished) {
}
