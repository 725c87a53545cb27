package dev.athanor.content;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.billing.Billing;
import dev.athanor.content.Pages.ArticleList;
import dev.athanor.content.Pages.ArticlePage;
import dev.athanor.content.Pages.CourseCard;
import dev.athanor.content.Pages.CoursePage;
import dev.athanor.content.Pages.Entry;
import dev.athanor.content.Pages.LessonPage;
import dev.athanor.content.Pages.SearchResult;
import dev.athanor.content.Pages.TagPage;
import dev.athanor.events.Events;
import dev.athanor.media.Media;
import dev.athanor.platform.web.Viewer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The content context's public face: courses, lessons, articles and tags as visitors see them, search, the feed and
 * sitemap entries, learners' progress, and the import of a content folder.
 */
public final class Content {

    private final Jdbi jdbi;
    private final Catalog catalog;
    private final SyncCatalogue syncCatalogue;
    private final Progress progress;
    private final ContentImporter importer;
    private final Billing billing;
    private final Media media;
    private final Consumer<Set<String>> changedLocally;

    /**
     * @param changedLocally told which page-cache keys an import changed, right after it commits
     * @param markdownCacheBytes memory for rendered Markdown
     */
    public Content(Jdbi jdbi, Media media, Billing billing, Events events, Consumer<Set<String>> changedLocally,
            long markdownCacheBytes, MetricRegistry metrics) {
        RenderedMarkdown markdown = new RenderedMarkdown(markdownCacheBytes, metrics);
        this.jdbi = jdbi;
        this.progress = new Progress(jdbi, events);
        this.catalog = new Catalog(jdbi, media, markdown, progress);
        this.syncCatalogue = new SyncCatalogue(jdbi);
        this.importer = new ContentImporter(jdbi, media, markdown, changedLocally);
        this.billing = billing;
        this.media = media;
        this.changedLocally = changedLocally;
    }

    public List<CourseCard> courses() {
        return catalog.courses();
    }

    /** The published courses with their lessons, for scripts; only those changed after {@code since} when given. */
    public List<SyncCatalogue.Course> catalogue(Optional<java.time.Instant> since) {
        return syncCatalogue.courses(since);
    }

    /** The courses that stopped being public after {@code since} (unpublished by an import or by hand). */
    public List<SyncCatalogue.Removal> catalogueRemovals(java.time.Instant since) {
        return syncCatalogue.removedSince(since);
    }

    public Optional<SyncCatalogue.Course> catalogueCourse(String slug) {
        return syncCatalogue.course(slug);
    }

    public Optional<CoursePage> course(String slug, Viewer viewer) {
        return catalog.course(slug, viewer.learnerId());
    }

    public Optional<LessonPage> lesson(String courseSlug, String lessonSlug, Viewer viewer) {
        return catalog.lesson(courseSlug, lessonSlug, viewer.learnerId());
    }

    public ArticleList articles(int page) {
        return catalog.articles(Math.max(1, page));
    }

    public Optional<ArticlePage> article(String slug) {
        return catalog.article(slug);
    }

    public Optional<TagPage> tag(String slug) {
        return catalog.tag(slug);
    }

    /** Lessons and articles matching {@code query} (web-search syntax: words, "phrases", -exclusions), best first. */
    public List<SearchResult> search(String query) {
        return catalog.search(query, 30);
    }

    /** Where an old address of a renamed course, lesson or article now lives. */
    public Optional<String> redirect(String kind, String oldPath) {
        return catalog.redirect(kind, oldPath);
    }

    /** Whether {@code viewer} may watch the lesson's video: free previews to all, the rest to entitled learners. */
    public boolean mayWatch(LessonPage lesson, Viewer viewer) {
        return lesson.free() || viewer.learnerId().map(billing::isEntitled).orElse(false);
    }

    /** The viewer's access to subscriber lessons (anonymous viewers have none). */
    public Billing.Access access(Viewer viewer) {
        return viewer.learnerId().map(billing::access).orElse(Billing.Access.NONE);
    }

    /** Where the viewer's player should start: their last position, unless they finished the lesson. */
    public int resumeAt(LessonPage lesson, Viewer viewer) {
        return viewer.learnerId().map(id -> progress.inLesson(id, lesson.id()))
                .filter(state -> !state.completed()).map(Progress.State::positionSeconds).orElse(0);
    }

    /**
     * Records the player's position for a signed-in learner (see {@link Progress#report}); false, recording nothing,
     * when the learner may not watch the lesson, so progress, completions and their events exist only for lessons
     * the learner has access to.
     */
    public boolean reportProgress(Viewer viewer, LessonPage lesson, int positionSeconds) {
        if (!mayWatch(lesson, viewer)) {
            return false;
        }
        int duration = lesson.video().map(Pages.VideoInfo::durationSeconds).orElse(0);
        progress.report(viewer.learnerId().orElseThrow(), lesson.id(), positionSeconds, duration);
        return true;
    }

    /** Marks a lesson complete for a signed-in learner; false, recording nothing, when they may not watch it. */
    public boolean markComplete(Viewer viewer, LessonPage lesson) {
        if (!mayWatch(lesson, viewer)) {
            return false;
        }
        progress.complete(viewer.learnerId().orElseThrow(), lesson.id());
        return true;
    }

    /** Every published course, lesson and article, newest first, for the feed and the sitemap. */
    public List<Entry> entries() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT 'course' AS kind, title, '/courses/' || slug AS url, summary, published_at, updated_at
                FROM course WHERE published_at <= now()
                UNION ALL
                SELECT 'lesson', l.title, '/courses/' || c.slug || '/' || l.slug, c.title, l.published_at,
                       l.updated_at
                FROM lesson l JOIN course c ON c.id = l.course_id
                WHERE l.published_at <= now() AND c.published_at <= now()
                UNION ALL
                SELECT 'article', title, '/articles/' || slug, summary, published_at, updated_at
                FROM article WHERE published_at <= now()
                ORDER BY published_at DESC, url""")
                .map((rs, ctx) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()))
                .list());
    }

    /** Imports a content folder; see {@link ContentImporter}. Nothing changes when it throws. */
    public ImportReport importFolder(Path folder, boolean dryRun) throws ContentImportException {
        return importer.run(folder, dryRun);
    }

    /** Whether no course and no article has ever been imported. */
    public boolean isEmpty() {
        return jdbi.withHandle(handle -> handle.createQuery(
                "SELECT NOT EXISTS (SELECT 1 FROM course) AND NOT EXISTS (SELECT 1 FROM article)")
                .mapTo(Boolean.class).one());
    }

    /** Every course, lesson and article with its state (published, scheduled or draft), for the operator. */
    public List<Pages.InventoryItem> inventory() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT 'course' AS kind, slug AS path, title, published_at, 0 AS course_position, position
                FROM course
                UNION ALL
                SELECT 'lesson', c.slug || '/' || l.slug, l.title, l.published_at, c.position, l.position
                FROM lesson l JOIN course c ON c.id = l.course_id
                UNION ALL
                SELECT 'article', slug, title, published_at, 1000000, 0 FROM article
                ORDER BY 5, 1 DESC, 6, 2""")
                .map((rs, ctx) -> new Pages.InventoryItem(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(),
                        !rs.getString(1).equals("lesson") || rs.getInt(6) > 0))
                .list());
    }

    /**
     * Publishes (now, unless it already has a date) or unpublishes a course or an article by hand, and drops the
     * pages that show it on every node. The next import sets it back to what the content folder says.
     *
     * @return false when there is no such item
     */
    public boolean setPublished(String kind, String slug, boolean published) {
        if (!kind.equals("course") && !kind.equals("article")) {
            throw new IllegalArgumentException("only courses and articles are published by hand");
        }
        return changeByHand(Set.of(kind + ":" + slug, kind + "s"), handle -> {
            String publishedAt = published ? "coalesce(published_at, now())" : "NULL";
            String noted = kind.equals("course") ? ", " + SyncCatalogue.noteUnpublishing(publishedAt) : "";
            int rows = handle.createUpdate("UPDATE " + kind + " SET published_at = " + publishedAt
                    + ", updated_at = now()" + noted + " WHERE slug = :slug").bind("slug", slug).execute();
            if (kind.equals("course") && rows > 0) {
                handle.createUpdate("UPDATE lesson SET published_at = (SELECT published_at FROM course c"
                        + " WHERE c.id = lesson.course_id), updated_at = now()"
                        + " WHERE course_id = (SELECT id FROM course WHERE slug = :slug)"
                        + " AND position > 0").bind("slug", slug).execute();
            }
            return rows;
        });
    }

    /**
     * Publishes or unpublishes one lesson of a course's list by hand (a lesson shows only while its course does
     * too); false when the course lists no such lesson. A lesson published again keeps its first publication time,
     * or takes its course's.
     */
    public boolean setLessonPublished(String courseSlug, String lessonSlug, boolean published) {
        return changeByHand(Set.of("course:" + courseSlug, "courses"), handle -> {
            String publishedAt = published
                    ? "coalesce(published_at, (SELECT published_at FROM course c WHERE c.id = lesson.course_id), now())"
                    : "NULL";
            return handle.createUpdate("UPDATE lesson SET published_at = " + publishedAt + ", updated_at = now()"
                    + " WHERE slug = :lesson AND position > 0"
                    + " AND course_id = (SELECT id FROM course WHERE slug = :course)")
                    .bind("lesson", lessonSlug).bind("course", courseSlug).execute();
        });
    }

    /**
     * Runs {@code update} in a transaction and, when it changed rows, announces {@code keys} to every node's page
     * cache (in the transaction) and to this one's; false when it changed none.
     */
    private boolean changeByHand(Set<String> keys, java.util.function.ToIntFunction<org.jdbi.v3.core.Handle> update) {
        boolean found = jdbi.inTransaction(handle -> {
            int rows = update.applyAsInt(handle);
            if (rows > 0) {
                dev.athanor.platform.web.PageCacheInvalidation.announce(handle, keys);
            }
            return rows > 0;
        });
        if (found) {
            changedLocally.accept(keys);
        }
        return found;
    }

    /** Lessons' names as "course: lesson", by id, for reports. */
    public java.util.Map<Long, String> lessonNames(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return java.util.Map.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT l.id, c.title || ': ' || l.title FROM lesson l JOIN course c ON c.id = l.course_id
                WHERE l.id IN (<ids>)""")
                .bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> java.util.Map.entry(rs.getLong(1), rs.getString(2)))
                .list()).stream().collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey,
                        java.util.Map.Entry::getValue));
    }

    /** The media context, for the resources that deliver a lesson's video. */
    Media media() {
        return media;
    }
}
