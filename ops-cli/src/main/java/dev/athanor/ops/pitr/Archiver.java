package dev.athanor.ops.pitr;

import dev.athanor.backup.pitr.Cluster;
import dev.athanor.backup.pitr.PitrException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** The running server's archiver, as {@code pg_stat_archiver} tells it: the last segment pushed, and when. */
record Archiver(Optional<String> lastSegment, Optional<Instant> lastArchived, Optional<String> failedSegment,
        Optional<Instant> lastFailed) {

    private static final DateTimeFormatter PSQL_TIME = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSSSS][.SSSS][.SSS][.SS][.S]X");

    /** Asks the server; empty when it does not answer (it may be down: that is when restores happen). */
    static Optional<Archiver> of(Cluster cluster) {
        try {
            String[] fields = cluster.sql("postgres", "SET TimeZone = 'UTC'; SELECT coalesce(last_archived_wal, '')"
                    + " || '|' || coalesce(last_archived_time::text, '') || '|' || coalesce(last_failed_wal, '')"
                    + " || '|' || coalesce(last_failed_time::text, '') FROM pg_stat_archiver").split("\\|", -1);
            return Optional.of(new Archiver(text(fields[0]), time(fields[1]), text(fields[2]), time(fields[3])));
        } catch (PitrException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the last push failed (a failure newer than the last success). */
    boolean failing() {
        return lastFailed.isPresent() && (lastArchived.isEmpty() || lastFailed.get().isAfter(lastArchived.get()));
    }

    private static Optional<String> text(String field) {
        return field.isBlank() ? Optional.empty() : Optional.of(field.strip());
    }

    private static Optional<Instant> time(String field) {
        return field.isBlank() ? Optional.empty() : Optional.of(OffsetDateTime.parse(field.strip(), PSQL_TIME)
                .toInstant());
    }
}
