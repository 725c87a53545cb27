package dev.athanor.backup.pitr;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** Where a restore's recovery stops: at a moment (inclusive), or at the end of the archived log. */
public record RecoveryTarget(Optional<Instant> time) {

    /** pgBackRest takes a time to the millisecond, with a numeric zone. */
    private static final DateTimeFormatter POSTGRES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSx")
            .withZone(ZoneOffset.UTC);

    /** The end of the archived log: everything archived is replayed. */
    public static RecoveryTarget latest() {
        return new RecoveryTarget(Optional.empty());
    }

    /** Every transaction committed at or before {@code moment} (to the millisecond), none after it. */
    public static RecoveryTarget at(Instant moment) {
        return new RecoveryTarget(Optional.of(moment.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
    }

    /** pgBackRest's restore options for this target. */
    java.util.List<String> options() {
        return time.map(moment -> java.util.List.of("--type=time", "--target=" + POSTGRES.format(moment),
                "--target-action=promote")).orElse(java.util.List.of("--type=default"));
    }

    @Override
    public String toString() {
        return time.map(moment -> POSTGRES.format(moment).replace("+00", " UTC")).orElse("the end of the archived log");
    }
}
