package dev.athanor.content;

import java.util.List;
import java.util.Optional;

/** What the content pages show, assembled by {@link Catalog} and rendered by the views. */
public final class Pages {

    private Pages() {
    }

    /** A course in a list. */
    public record CourseCard(String slug, String title, String summary, String url, String coverUrl,
            int lessonCount, String totalDuration, boolean hasFreeLessons) {
    }

    /** A lesson in its course's list, with the viewer's progress when signed in. */
    public record LessonItem(long id, String slug, String title, String url, int number, String duration,
            boolean free, boolean completed, int percent, boolean started) {
    }

    /** A tag as a link. */
    public record TagLink(String slug, String name, String url) {
    }

    /** An article in a list. */
    public record ArticleCard(String slug, String title, String summary, String url, String date, String isoDate,
            List<TagLink> tags) {
    }

    /** A course page. */
    public record CoursePage(long id, String slug, String title, String summary, String descriptionHtml,
            String coverUrl, String url, String totalDuration, List<LessonItem> lessons,
            Optional<LessonItem> continueWith, String updatedAt) {
    }

    /** A lesson page; {@code video} is empty for a lesson without one. */
    public record LessonPage(long id, String slug, String title, int number, int lessonCount, String url,
            String notesHtml, String description, CourseCard course, Optional<VideoInfo> video, boolean free,
            Optional<LessonItem> previous, Optional<LessonItem> next, LessonItem progress, String updatedAt) {
    }

    /** The video of a lesson: where to fetch it and what it is. */
    public record VideoInfo(long videoId, String src, String contentType, String duration, int durationSeconds,
            long sizeBytes) {
    }

    /** An article page. */
    public record ArticlePage(long id, String slug, String title, String summary, String bodyHtml, String url,
            String date, String isoDate, List<TagLink> tags, String updatedAt) {
    }

    /** One page of the article list. */
    public record ArticleList(List<ArticleCard> articles, int page, boolean hasNewer, boolean hasOlder) {
    }

    /** A tag's page. */
    public record TagPage(TagLink tag, List<ArticleCard> articles) {
    }

    /** A search result: the snippet is safe HTML (escaped text with {@code <mark>} around the matches). */
    public record SearchResult(String kind, String title, String url, String snippetHtml, String context) {
    }

    /** An item for the feed and the sitemap. */
    public record Entry(String kind, String title, String url, String summary, java.time.Instant published,
            java.time.Instant updated) {
    }

    /**
     * A course, lesson or article as the operator pages list it; {@code published} null for a draft;
     * {@code publishable} false for a lesson its course no longer lists (the folder decides about those).
     */
    public record InventoryItem(String kind, String path, String title, java.time.Instant published,
            boolean publishable) {
        public String state() {
            if (published == null) {
                return "draft";
            }
            return published.isAfter(java.time.Instant.now()) ? "scheduled" : "published";
        }

        public boolean isPublished() {
            return published != null;
        }

        public boolean isCourse() {
            return kind.equals("course");
        }

        public boolean isLesson() {
            return kind.equals("lesson");
        }
    }
}
