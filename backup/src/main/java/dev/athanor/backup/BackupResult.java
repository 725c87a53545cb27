package dev.athanor.backup;

import java.util.Optional;

/**
 * A backup that was completed, its manifest written.
 *
 * @param previousBytes the size of the previous good backup of the same database, if there is one
 * @param muchSmaller whether this archive is much smaller than that one (flagged and alerted: tables may be gone)
 */
public record BackupResult(BackupManifest manifest, Optional<Long> previousBytes, boolean muchSmaller) {
}
