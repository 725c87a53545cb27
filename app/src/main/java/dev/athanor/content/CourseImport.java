package dev.athanor.content;

import dev.athanor.content.ContentSnapshot.CourseSource;
import dev.athanor.content.ContentSnapshot.LessonSource;
import dev.athanor.media.Media;
import dev.athanor.media.MediaException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Writes one course of a content folder and its lessons, in the folder's order, inside the import's transaction.
 * Video and cover files are stored in the media store only when their lesson or course changed (and never in a dry
 * run); the store is content-addressed, so a file stored for an import that then fails changes nothing visible.
 */
final class CourseImport {

    private final Media media;
    private final RenderedMarkdown markdown;

    CourseImport(Media media, RenderedMarkdown markdown) {
        this.media = media;
        this.markdown = markdown;
    }

    void apply(Handle handle, CourseSource course, ImportLedger ledger, boolean dryRun) {
        Instant published = ImportLedger.instant(course.published());
        String hash = ImportLedger.hash(course.title(), course.summary(), course.descriptionMarkdown(),
                ImportLedger.fileKey(course.cover()), course.position(), String.valueOf(published));
        ImportLedger.Existing existing = ledger.find(handle, "course", course.slug(), course.oldSlugs(), null);
        long id;
        if (!existing.changed(hash) && !existing.renamed()) {
            ledger.unchanged();
            id = existing.id();
        } else {
            String cover = course.cover().isPresent() && !dryRun ? storeCover(course) : null;
            id = handle.createQuery("""
                    INSERT INTO course (id, slug, title, summary, description_markdown, cover_image, position,
                                        published_at, source_hash)
                    VALUES (coalesce(:id, nextval('course_id_seq')), :slug, :title, :summary, :description, :cover,
                            :position, :published, :hash)
                    ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title,
                        summary = EXCLUDED.summary, description_markdown = EXCLUDED.description_markdown,
                        cover_image = EXCLUDED.cover_image, position = EXCLUDED.position,
                        published_at = EXCLUDED.published_at, source_hash = EXCLUDED.source_hash, updated_at = now(),
                        %s
                    RETURNING id""".formatted(SyncCatalogue.noteUnpublishing("EXCLUDED.published_at")))
                    .bind("id", existing.id()).bind("slug", course.slug()).bind("title", course.title())
                    .bind("summary", course.summary()).bind("description", course.descriptionMarkdown())
                    .bind("cover", cover).bind("position", course.position()).bind("published", published)
                    .bind("hash", hash).mapTo(Long.class).one();
            if (existing.id() == null) {
                ledger.created("course", course.slug(), "\"" + course.title() + "\" (" + course.lessons().size()
                        + " lessons" + (published == null ? ", draft" : "") + ")");
            } else {
                ledger.updated(existing, "course", course.slug(), published);
            }
        }
        ledger.redirect(handle, "course", course.oldSlugs(), id);
        lessons(handle, course, id, published, ledger, dryRun);
    }

    private void lessons(Handle handle, CourseSource course, long courseId, Instant coursePublished,
            ImportLedger ledger, boolean dryRun) {
        List<String> slugs = new ArrayList<>();
        int position = 1;
        for (LessonSource lesson : course.lessons()) {
            slugs.add(lesson.slug());
            lesson(handle, course, courseId, lesson, position++, lesson.published() ? coursePublished : null, ledger,
                    dryRun);
        }
        // Lessons the course no longer lists: unpublished, and moved out of the way of the listed ones' positions.
        String[] listed = slugs.toArray(new String[0]);
        handle.createQuery("""
                UPDATE lesson SET published_at = NULL, position = -id, updated_at = now()
                WHERE course_id = :course AND published_at IS NOT NULL AND slug <> ALL(:slugs) RETURNING slug""")
                .bind("course", courseId).bind("slugs", listed).mapTo(String.class).list()
                .forEach(slug -> ledger.unpublished("lesson", course.slug() + "/" + slug));
        handle.createUpdate("UPDATE lesson SET position = -id WHERE course_id = :course AND position > 0"
                + " AND slug <> ALL(:slugs)").bind("course", courseId).bind("slugs", listed).execute();
    }

    private void lesson(Handle handle, CourseSource course, long courseId, LessonSource lesson, int position,
            Instant published, ImportLedger ledger, boolean dryRun) {
        String path = course.slug() + "/" + lesson.slug();
        String hash = ImportLedger.hash(lesson.title(), lesson.notesMarkdown(), ImportLedger.fileKey(lesson.video()),
                String.valueOf(lesson.durationSeconds()), lesson.freePreview(), position, String.valueOf(published));
        ImportLedger.Existing existing = ledger.find(handle, "lesson", lesson.slug(), lesson.oldSlugs(), courseId);
        List<String> oldPaths = lesson.oldSlugs().stream().map(old -> course.slug() + "/" + old).toList();
        if (!existing.changed(hash) && !existing.renamed()) {
            ledger.unchanged();
            ledger.redirect(handle, "lesson", oldPaths, existing.id());
            return;
        }
        Long video = lesson.video().isPresent() && !dryRun ? registerVideo(handle, lesson) : null;
        long id = handle.createQuery("""
                INSERT INTO lesson (id, course_id, slug, title, position, notes_markdown, notes_text, video_id,
                                    free_preview, published_at, source_hash)
                VALUES (coalesce(:id, nextval('lesson_id_seq')), :course, :slug, :title, :position, :notes, :text,
                        :video, :free, :published, :hash)
                ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title,
                    position = EXCLUDED.position, notes_markdown = EXCLUDED.notes_markdown,
                    notes_text = EXCLUDED.notes_text, video_id = EXCLUDED.video_id,
                    free_preview = EXCLUDED.free_preview, published_at = EXCLUDED.published_at,
                    source_hash = EXCLUDED.source_hash, updated_at = now()
                RETURNING id""")
                .bind("id", existing.id()).bind("course", courseId).bind("slug", lesson.slug())
                .bind("title", lesson.title()).bind("position", position).bind("notes", lesson.notesMarkdown())
                .bind("text", markdown.render(lesson.notesMarkdown()).text()).bind("video", video)
                .bind("free", lesson.freePreview()).bind("published", published).bind("hash", hash)
                .mapTo(Long.class).one();
        if (existing.id() == null) {
            ledger.created("lesson", path, "\"" + lesson.title() + "\"");
        } else {
            ledger.updated(existing, "lesson", path, published);
        }
        ledger.redirect(handle, "lesson", oldPaths, id);
    }

    private String storeCover(CourseSource course) {
        try {
            return media.storeImage(course.cover().orElseThrow());
        } catch (MediaException e) {
            throw new Failure(new ContentImportException(course.file(), 0, e.getMessage()));
        }
    }

    private Long registerVideo(Handle handle, LessonSource lesson) {
        try {
            return media.registerVideo(handle, lesson.video().orElseThrow(), lesson.durationSeconds()).id();
        } catch (MediaException e) {
            throw new Failure(new ContentImportException(lesson.file(), 0, e.getMessage()));
        }
    }

    /** Carries a content problem out of the transaction callback, which rolls back on the way. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ContentImportException problem;

        Failure(ContentImportException problem) {
            super(problem.getMessage(), null, false, false);
            this.problem = problem;
        }

        ContentImportException problem() {
            return problem;
        }
    }
}
