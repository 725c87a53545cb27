package dev.athanor.content;

import dev.athanor.content.ContentSnapshot.CaptionSource;
import dev.athanor.content.ContentSnapshot.CourseSource;
import dev.athanor.content.ContentSnapshot.LessonSource;
import dev.athanor.media.Media;
import dev.athanor.media.MediaException;
import dev.athanor.platform.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

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

    void apply(ImportDao dao, CourseSource course, ImportLedger ledger, boolean dryRun) {
        Instant published = ImportLedger.instant(course.published());
        String hash = ImportLedger.hash(course.title(), course.summary(), course.descriptionMarkdown(),
                fingerprint(course.file(), course.cover()), course.position(), String.valueOf(published));
        ImportLedger.Existing existing = ledger.find(dao, "course", course.slug(), course.oldSlugs(), null);
        long id;
        if (!existing.changed(hash) && !existing.renamed()) {
            ledger.unchanged();
            id = existing.id();
        } else {
            String cover = course.cover().isPresent() && !dryRun ? storeCover(course) : null;
            id = dao.upsertCourse(existing.id(), course.slug(), course.title(), course.summary(),
                    course.descriptionMarkdown(), cover, course.position(), published, hash);
            if (existing.id() == null) {
                ledger.created("course", course.slug(), "\"" + course.title() + "\" (" + course.lessons().size()
                        + " lessons" + (published == null ? ", draft" : "") + ")");
            } else {
                ledger.updated(existing, "course", course.slug(), published);
            }
        }
        ledger.redirect(dao, "course", course.oldSlugs(), id);
        lessons(dao, course, id, published, ledger, dryRun);
    }

    private void lessons(ImportDao dao, CourseSource course, long courseId, Instant coursePublished,
            ImportLedger ledger, boolean dryRun) {
        List<String> slugs = new ArrayList<>();
        int position = 1;
        for (LessonSource lesson : course.lessons()) {
            slugs.add(lesson.slug());
            lesson(dao, course, courseId, lesson, position++, lesson.published() ? coursePublished : null, ledger,
                    dryRun);
        }
        // Lessons the course no longer lists: unpublished, and moved out of the way of the listed ones' positions.
        String[] listed = slugs.toArray(new String[0]);
        dao.unpublishUnlistedLessons(courseId, listed)
                .forEach(slug -> ledger.unpublished("lesson", course.slug() + "/" + slug));
        dao.moveAsideUnlistedLessons(courseId, listed);
    }

    private void lesson(ImportDao dao, CourseSource course, long courseId, LessonSource lesson, int position,
            Instant published, ImportLedger ledger, boolean dryRun) {
        String path = course.slug() + "/" + lesson.slug();
        String videoFile = fingerprint(lesson.file(), lesson.video());
        String hash = lesson.captions().isEmpty() ? ImportLedger.hash(lesson.title(), lesson.notesMarkdown(),
                videoFile, String.valueOf(lesson.durationSeconds()), lesson.freePreview(), position,
                String.valueOf(published))
                : ImportLedger.hash(lesson.title(), lesson.notesMarkdown(), videoFile,
                        String.valueOf(lesson.durationSeconds()), lesson.freePreview(), position,
                        String.valueOf(published), captionsFingerprint(lesson.captions()));
        ImportLedger.Existing existing = ledger.find(dao, "lesson", lesson.slug(), lesson.oldSlugs(), courseId);
        List<String> oldPaths = lesson.oldSlugs().stream().map(old -> course.slug() + "/" + old).toList();
        if (!existing.changed(hash) && !existing.renamed()) {
            ledger.unchanged();
            ledger.redirect(dao, "lesson", oldPaths, existing.id());
            return;
        }
        Long video = lesson.video().isPresent() && !dryRun ? registerVideo(dao, lesson) : null;
        long id = dao.upsertLesson(existing.id(), courseId, lesson.slug(), lesson.title(), position,
                lesson.notesMarkdown(), markdown.render(lesson.notesMarkdown()).text(), video, lesson.freePreview(),
                published, hash);
        captions(dao.getHandle().attach(CaptionDao.class), id, lesson.captions());
        if (existing.id() == null) {
            ledger.created("lesson", path, "\"" + lesson.title() + "\"");
        } else {
            ledger.updated(existing, "lesson", path, published);
        }
        ledger.redirect(dao, "lesson", oldPaths, id);
    }

    /** Replaces the lesson's captions with {@code captions}, their cues, and the text search reads. */
    private static void captions(CaptionDao dao, long lessonId, List<CaptionSource> captions) {
        dao.forget(lessonId);
        StringBuilder said = new StringBuilder();
        int position = 1;
        for (CaptionSource caption : captions) {
            dao.add(lessonId, caption.language(), caption.label(), position++, caption.vtt(), caption.sha256());
            List<WebVtt.Cue> cues = caption.cues();
            dao.addCues(lessonId, caption.language(), IntStream.rangeClosed(1, cues.size()).boxed().toList(),
                    cues.stream().map(WebVtt.Cue::startMillis).toList(),
                    cues.stream().map(WebVtt.Cue::endMillis).toList(), cues.stream().map(WebVtt.Cue::text).toList());
            cues.forEach(cue -> said.append(cue.text()).append('\n'));
        }
        dao.said(lessonId, said.toString());
    }

    /** The captions' part in their lesson's fingerprint: each language, label and file content. */
    private static String captionsFingerprint(List<CaptionSource> captions) {
        StringBuilder parts = new StringBuilder();
        captions.forEach(caption -> parts.append(caption.language()).append('=').append(caption.label()).append(':')
                .append(caption.sha256()).append(';'));
        return parts.toString();
    }

    /**
     * A video's or cover's part in its item's fingerprint: its name, size and content. Not where the folder is, nor
     * when the file was written: the same files imported from a fresh copy elsewhere change nothing, and an edit that
     * keeps the size and the modification time is still seen. Each import reads every such file once for this.
     */
    private static String fingerprint(Path source, Optional<Path> file) {
        if (file.isEmpty()) {
            return "";
        }
        try {
            return file.get().getFileName() + ":" + Files.size(file.get()) + ":" + Sha256.hex(file.get());
        } catch (IOException e) {
            throw new Failure(new ContentImportException(source, 0, "cannot read " + file.get().getFileName() + ": "
                    + e.getMessage()));
        }
    }

    private String storeCover(CourseSource course) {
        try {
            return media.storeImage(course.cover().orElseThrow());
        } catch (MediaException e) {
            throw new Failure(new ContentImportException(course.file(), 0, e.getMessage()));
        }
    }

    /** Stores the lesson's video and records it in the import's transaction. */
    private Long registerVideo(ImportDao dao, LessonSource lesson) {
        try {
            return media.registerVideo(dao.getHandle(), lesson.video().orElseThrow(), lesson.durationSeconds()).id();
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
