package dev.athanor.content;

import dev.athanor.content.ImportReport.Change;
import dev.athanor.platform.Sha256;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One import's bookkeeping: finding what the database already has (by slug, or by an old slug for a rename),
 * recording each change for the report, the redirects from old addresses, and the pages the changes touch.
 */
final class ImportLedger {

    /** An item as the database has it; {@code id} null when it does not exist yet. */
    record Existing(Long id, String hash, boolean published, Optional<String> oldSlug) {
        boolean changed(String newHash) {
            return id == null || !newHash.equals(hash);
        }

        boolean renamed() {
            return oldSlug.isPresent();
        }
    }

    private final List<Change> changes = new ArrayList<>();
    private final Set<String> pageKeys = new HashSet<>();
    private int unchanged;

    /** The row of {@code kind} (course, lesson or article) with {@code slug}, else with one of {@code oldSlugs}. */
    Existing find(ImportDao dao, String kind, String slug, List<String> oldSlugs, Long courseId) {
        List<String> candidates = new ArrayList<>();
        candidates.add(slug);
        candidates.addAll(oldSlugs);
        for (String candidate : candidates) {
            Optional<ImportDao.Found> found = switch (kind) {
                case "course" -> dao.findCourse(candidate);
                case "lesson" -> dao.findLesson(courseId, candidate);
                default -> dao.findArticle(candidate);
            };
            if (found.isPresent()) {
                return new Existing(found.get().id(), found.get().sourceHash(), found.get().published(),
                        candidate.equals(slug) ? Optional.empty() : Optional.of(candidate));
            }
        }
        return new Existing(null, null, false, Optional.empty());
    }

    void created(String kind, String path, String detail) {
        changes.add(new Change("created", kind, path, detail));
        touched(kind, path);
    }

    /** Records an update of {@code existing} as a rename, an unpublication or a change. */
    void updated(Existing existing, String kind, String path, Instant published) {
        if (existing.renamed()) {
            String old = existing.oldSlug().orElseThrow();
            changes.add(new Change("renamed", kind, path, "(was " + old + ")"));
            touched(kind, kind.equals("lesson") ? path.substring(0, path.indexOf('/') + 1) + old : old);
        } else if (existing.published() && published == null) {
            changes.add(new Change("unpublished", kind, path, ""));
        } else {
            changes.add(new Change("changed", kind, path, ""));
        }
        touched(kind, path);
    }

    void unpublished(String kind, String path) {
        changes.add(new Change("unpublished", kind, path, ""));
        touched(kind, path);
    }

    void unchanged() {
        unchanged++;
    }

    /** Remembers that {@code oldPaths} of {@code kind} now lead to item {@code id}. */
    void redirect(ImportDao dao, String kind, List<String> oldPaths, long id) {
        for (String old : oldPaths) {
            dao.redirect(kind, old, id);
        }
    }

    /** The page-cache keys of everything changed: each item's own pages and the lists that show it. */
    Set<String> pageKeys() {
        return Set.copyOf(pageKeys);
    }

    ImportReport report(boolean applied) {
        return new ImportReport(List.copyOf(changes), unchanged, applied);
    }

    private void touched(String kind, String path) {
        switch (kind) {
            case "course" -> {
                pageKeys.add("course:" + path);
                pageKeys.add("courses");
            }
            case "lesson" -> {
                pageKeys.add("course:" + path.substring(0, path.indexOf('/')));
                pageKeys.add("courses");
            }
            default -> {
                pageKeys.add("article:" + path);
                pageKeys.add("articles");
            }
        }
    }

    static Instant instant(Optional<LocalDate> date) {
        return date.map(day -> day.atStartOfDay(ZoneOffset.UTC).toInstant()).orElse(null);
    }

    /** A fingerprint of an item's source. */
    static String hash(Object... parts) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            text.append(part).append('\u0000');
        }
        return Sha256.hex(text.toString());
    }
}
