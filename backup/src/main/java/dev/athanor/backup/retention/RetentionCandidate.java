package dev.athanor.backup.retention;

import java.time.Instant;

/**
 * A complete backup as retention sees it.
 *
 * @param good complete and not proven bad by a verification
 * @param verified a verification restored it and found it matching its manifest
 */
public record RetentionCandidate(String id, Instant createdAt, boolean good, boolean verified) {
}
