package dev.athanor.content;

import java.util.List;

/**
 * What an import did (or, for a dry run, would do): one line per created, changed, renamed or unpublished item, and
 * how many were left as they were.
 */
public record ImportReport(List<Change> changes, int unchanged, boolean applied) {

    /** One item's change, such as {@code created course java-basics "Java basics"}. */
    public record Change(String action, String kind, String slug, String detail) {
        @Override
        public String toString() {
            return action + " " + kind + " " + slug + (detail.isEmpty() ? "" : " " + detail);
        }
    }

    public long count(String action) {
        return changes.stream().filter(change -> change.action().equals(action)).count();
    }

    /** One line for people: {@code 2 created, 1 changed, 0 renamed, 1 unpublished, 7 unchanged}. */
    public String summary() {
        return count("created") + " created, " + count("changed") + " changed, " + count("renamed") + " renamed, "
                + count("unpublished") + " unpublished, " + unchanged + " unchanged"
                + (applied ? "" : " (dry run: nothing was changed)");
    }
}
