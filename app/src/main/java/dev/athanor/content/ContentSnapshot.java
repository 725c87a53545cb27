package dev.athanor.content;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Everything a content folder says, read and checked, before anything is written. */
record ContentSnapshot(List<CourseSource> courses, List<ArticleSource> articles) {

    /** A course as its {@code course.md} describes it, with its lessons in order. */
    record CourseSource(Path file, String slug, List<String> oldSlugs, String title, String summary,
            String descriptionMarkdown, Optional<Path> cover, Optional<LocalDate> published, int position,
            List<LessonSource> lessons) {
    }

    /** A lesson file; {@code published} false keeps it out of its course as a draft. */
    record LessonSource(Path file, String slug, List<String> oldSlugs, String title, String notesMarkdown,
            Optional<Path> video, OptionalInt durationSeconds, boolean freePreview, boolean published,
            List<CaptionSource> captions) {
    }

    /** A lesson's caption file in one language ({@code language} a canonical BCP 47 tag), read and checked. */
    record CaptionSource(String language, String label, Path file, String vtt, String sha256,
            List<WebVtt.Cue> cues) {
    }

    /** An article file. */
    record ArticleSource(Path file, String slug, List<String> oldSlugs, String title, String summary,
            String bodyMarkdown, List<TagSource> tags, Optional<LocalDate> published) {
    }

    /** A tag as written ({@code name}) and as addressed ({@code slug}). */
    record TagSource(String slug, String name) {
    }
}
