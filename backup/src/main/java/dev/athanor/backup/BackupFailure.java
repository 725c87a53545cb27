package dev.athanor.backup;

import java.time.Instant;

/**
 * A backup attempt that failed, written as {@code ID.failed.json} when the storage can still be written. It is not a
 * backup and is never listed as one; it tells retention that the newest attempt failed.
 */
public record BackupFailure(String id, BackupKind kind, Instant startedAt, Instant failedAt, String reason) {
}
