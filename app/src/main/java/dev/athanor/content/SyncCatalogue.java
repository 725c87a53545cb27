package dev.athanor.content;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The published catalogue as scripts see it (the subscriber API), as {@link Content#catalogue} lists it: courses
 * with their lessons, each with the moment it last changed, and the courses that stopped being public.
 */
public final class SyncCatalogue {

    private SyncCatalogue() {
    }

    /** A course as the API lists it. */
    public record Course(long id, String slug, String title, String summary, String url, Instant changedAt,
            List<Lesson> lessons) {
    }

    /**
     * A lesson as the API lists it; {@code videoId} is empty for a lesson without a video, {@code captions} its
     * video's caption files in the lesson file's order.
     */
    public record Lesson(long id, String slug, String title, int number, boolean free, String url,
            Optional<Long> videoId, Instant changedAt, List<Caption> captions) {
    }

    /** A caption file of a lesson's video: its language (a BCP 47 tag such as en or pt-BR) and its label. */
    public record Caption(String language, String label) {
    }

    /** A course that stopped being public (unpublished by an import or by hand) at {@code unpublishedAt}. */
    public record Removal(String slug, Instant unpublishedAt) {
    }
}
