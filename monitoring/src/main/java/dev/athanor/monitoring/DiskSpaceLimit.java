package dev.athanor.monitoring;

import dev.athanor.common.Sizes;
import java.util.Locale;
import java.util.Optional;

/**
 * The least free space an operator accepts: both an absolute amount and a share of the disk must be left.
 *
 * <p>Two limits because neither alone fits every disk: 10% of a 25 GB droplet is too little to finish a backup, and
 * 1 GiB of a 2 TB volume is too late to act.
 */
public record DiskSpaceLimit(long minimumFreeBytes, double minimumFreePercent) {

    public DiskSpaceLimit {
        if (minimumFreeBytes < 0) {
            throw new IllegalArgumentException("minimumFreeBytes must not be negative");
        }
        if (minimumFreePercent < 0 || minimumFreePercent > 100) {
            throw new IllegalArgumentException("minimumFreePercent must be between 0 and 100");
        }
    }

    /** Why {@code reading} falls short of this limit, or empty when it does not. */
    public Optional<String> shortfall(DiskSpace.Reading reading) {
        if (reading.usableBytes() < minimumFreeBytes) {
            return Optional.of(reading.describe() + ", below the minimum of " + Sizes.human(minimumFreeBytes));
        }
        if (reading.usablePercent() < minimumFreePercent) {
            return Optional.of(reading.describe() + String.format(Locale.ROOT, ", below the minimum of %.0f%%", minimumFreePercent));
        }
        return Optional.empty();
    }
}
