package dev.athanor.content;

import java.time.Instant;

/** The content context's rows, as its queries read them. */
final class Rows {

    private Rows() {
    }

    public record Course(long id, String slug, String title, String summary, String descriptionMarkdown, String coverImage,
            int position, Instant publishedAt, Instant updatedAt) {
    }

    public record Lesson(long id, long courseId, String slug, String title, int position, String notesMarkdown,
            String notesText, Long videoId, boolean freePreview, Instant publishedAt, Instant updatedAt) {
    }

    public record Article(long id, String slug, String title, String summary, String bodyMarkdown, String bodyText,
            Instant publishedAt, Instant updatedAt) {
    }

    public record Tag(long id, String slug, String name) {
    }

    /**
     * A search result before it becomes a link: what it is, where it lives, and its highlighted snippet; for a lesson
     * whose captions say what was searched, the moment ({@code saidAtMs}) and that cue highlighted ({@code said}).
     */
    public record SearchHit(String kind, String title, String courseSlug, String slug, String snippet, double rank,
            boolean free, Integer saidAtMs, String said) {
    }
}
