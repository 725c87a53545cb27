package dev.athanor.backup.pitr;

import java.time.Instant;
import java.util.Map;

/**
 * Row counts of the site's tables at one moment, from {@code pitr_marks}: a restore to {@code markedAt} holds exactly
 * these counts, which is what the restore drill checks.
 *
 * @param id the mark's row
 * @param markedAt the moment, read after the counts while the counted tables were locked against writes
 * @param counts rows per table, keyed {@code schema.table}
 */
public record PitrMark(long id, Instant markedAt, Map<String, Long> counts) {

    public PitrMark {
        counts = Map.copyOf(counts);
    }
}
