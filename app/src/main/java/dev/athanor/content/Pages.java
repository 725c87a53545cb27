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

    /** The video of a lesson: where to fetch it, what it is, and its captions (none when it has none). */
    public record VideoInfo(long videoId, String src, String contentType, String duration, int durationSeconds,
            long sizeBytes, List<CaptionTrack> captions) {
        /** Whether it has captions in more than one language (each transcript then names its language). */
        public boolean isMultilingual() {
            return captions.size() > 1;
        }
    }

    /**
     * A caption track of a lesson's video: its file's address on the site, its language (a BCP 47 tag) and menu
     * label, and its cues as the transcript shows them.
     */
    public record CaptionTrack(String language, String label, String src, List<TranscriptCue> cues) {
    }

    /**
     * One cue of a transcript: when it starts ({@code seconds} as a media fragment takes it, {@code 6.5};
     * {@code clock} as people read it, {@code 0:06}), the video whose moment it is ({@code video#t=seconds} works
     * without script), and what is said.
     */
    public record TranscriptCue(String seconds, String clock, String video, String text) {
    }

    /** A caption file as the site serves it: WebVTT text, and its SHA-256 for the ETag. */
    public record CaptionFile(String vtt, String sha256) {
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

    /**
     * A search result: the snippet is safe HTML (escaped text with {@code <mark>} around the matches). A lesson whose
     * captions say what was searched has the moment, as a media fragment takes it ({@code moment}, seconds: the link
     * is {@code url#t=moment}) and as people read it ({@code saidAt}), and the cue, highlighted ({@code saidHtml});
     * {@code subscribersOnly} tells whether that cue may be shown only to those who may watch the lesson (see
     * {@link dev.athanor.content.Content#search}).
     */
    public record SearchResult(String kind, String title, String url, String snippetHtml, String context,
            String moment, String saidAt, String saidHtml, boolean subscribersOnly) {

        /** A result without a moment in a video. */
        public SearchResult(String kind, String title, String url, String snippetHtml, String context) {
            this(kind, title, url, snippetHtml, context, null, null, null, false);
        }

        /** The same result without the words said, for a viewer who may not watch the lesson. */
        public SearchResult withoutWords() {
            return new SearchResult(kind, title, url, snippetHtml, context, moment, saidAt, null, subscribersOnly);
        }
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
