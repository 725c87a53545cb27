package dev.athanor.backup;

import java.util.List;
import java.util.Optional;

/**
 * A backup that was completed, its manifest written.
 *
 * @param previousBytes the size of the previous good backup of the same database, if there is one
 * @param muchSmaller whether this archive is much smaller than that one (flagged and alerted: tables may be gone)
 * @param unfinished earlier backups found not to have finished (their process stopped), removed and recorded as
 *     failed attempts by this run
 */
public record BackupResult(BackupManifest manifest, Optional<Long> previousBytes, boolean muchSmaller,
        List<BackupFailure> unfinished) {
}
