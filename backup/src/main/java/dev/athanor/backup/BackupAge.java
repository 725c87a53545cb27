package dev.athanor.backup;

import dev.athanor.common.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How old the newest good backup is against what the schedule promises: it must be younger than the backup period
 * plus a grace. This holds even when nothing runs at all (the scheduler stopped), which is why the site's health check
 * and the scheduler's own watchdog both look at it.
 */
public record BackupAge(Optional<BackupManifest> newestGood, Instant now, Duration period, Duration grace) {

    public Duration limit() {
        return period.plus(grace);
    }

    public Optional<Duration> age() {
        return newestGood.map(manifest -> Duration.between(manifest.finishedAt(), now));
    }

    public boolean overdue() {
        return age().map(age -> age.compareTo(limit()) > 0).orElse(true);
    }

    /** One line for a health check or an alert. */
    public String describe() {
        if (newestGood.isEmpty()) {
            return "no good backup exists yet";
        }
        return "the newest good backup, " + newestGood.get().id() + ", is " + Durations.human(age().orElseThrow())
                + " old" + (overdue() ? ", more than the " + Durations.human(limit()) + " allowed" : "");
    }
}
