package dev.athanor.backup.retention;

import java.time.Instant;

/**
 * A complete backup as retention sees it.
 *
 * @param good complete and not proven bad by a verification
 * @param verified a verification restored it and found it matching its manifest
 * @param preDeploy taken by {@code ops deploy} before it migrated: kept apart from the schedule's backups
 */
public record RetentionCandidate(String id, Instant createdAt, boolean good, boolean verified, boolean preDeploy) {

    /** A backup of the schedule's or the operator's (daily, weekly, manual). */
    public RetentionCandidate(String id, Instant createdAt, boolean good, boolean verified) {
        this(id, createdAt, good, verified, false);
    }
}
