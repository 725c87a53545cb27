package dev.athanor.backup.pitr;

import java.time.Instant;

/** The oldest and the newest moment a point-in-time restore can reach. */
public record RecoveryWindow(Instant oldest, Instant newest) {

    /** Whether a restore to {@code moment} can be done. */
    public boolean contains(Instant moment) {
        return !moment.isBefore(oldest) && !moment.isAfter(newest);
    }

    @Override
    public String toString() {
        return oldest + " to " + newest;
    }
}
