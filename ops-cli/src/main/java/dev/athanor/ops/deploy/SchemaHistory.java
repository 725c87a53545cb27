package dev.athanor.ops.deploy;

import java.util.List;
import java.util.Optional;

/**
 * The successful versioned migrations a database has recorded in {@code flyway_schema_history}, oldest first; none for
 * a new database. A baseline row counts for every version up to its own, as Flyway counts it.
 */
record SchemaHistory(List<Entry> entries) {

    static final SchemaHistory EMPTY = new SchemaHistory(List.of());

    /** One row: the version, the script Flyway ran ({@code V27__drop_legacy.sql}), whether it is a baseline. */
    record Entry(String version, String script, boolean baseline) {
    }

    SchemaHistory {
        entries = entries.stream().sorted(java.util.Comparator.comparing(Entry::version,
                MigrationReview.VERSION_ORDER)).toList();
    }

    /** Whether the database has {@code version}, or a baseline at or above it. */
    boolean has(String version) {
        return entries.stream().anyMatch(entry -> {
            int order = MigrationReview.VERSION_ORDER.compare(version, entry.version());
            return order == 0 || entry.baseline() && order < 0;
        });
    }

    /** The schema's version: the newest applied, as {@code ops releases} shows it. */
    Optional<String> newest() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1).version());
    }
}
