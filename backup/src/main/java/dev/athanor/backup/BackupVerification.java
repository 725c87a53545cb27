package dev.athanor.backup;

import java.time.Instant;

/**
 * The result of restoring a backup into a scratch database and comparing it with its manifest, written as
 * {@code ID.verification.json}. A failed verification is recorded only when the backup itself was proven wrong (its
 * checksum, its archive or its row counts), never for a problem of the verifying machine.
 */
public record BackupVerification(String id, Instant verifiedAt, boolean passed, String detail) {
}
