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
import dev.athanor.platform.db.LearnerChanges;
import dev.athanor.platform.web.PageCache;
import dev.athanor.platform.web.PageCacheInvalidation;
import dev.athanor.platform.web.Viewer;
import io.dropwizard.lifecycle.Managed;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.jdbi.v3.core.Jdbi;

/**
 * The content context's public face: courses, lessons, articles and tags as visitors see them, search, the feed and
 * sitemap entries, learners' progress, and the import of a content folder.
 */
public final class Content {

    private final Jdbi jdbi;
    private final Catalog catalog;
    private final RecentSearches recentSearches = new RecentSearches();
    private final SyncListing syncListing;
    private final Progress progress;
    private final ContentImporter importer;
    private final Billing billing;
    private final Media media;
    private final Consumer<Set<String>> changedLocally;

    /**
     * @param changedLocally told which page-cache keys an import changed, right after it commits
     * @param markdownCacheBytes memory for rendered Markdown
     * @param searchTimeout how long one visitor's search may run in PostgreSQL
     * @param learners what keeps learners' progress in memory true
     */
    public Content(Jdbi jdbi, Media media, Billing billing, Events events, Consumer<Set<String>> changedLocally,
            long markdownCacheBytes, java.time.Duration searchTimeout, MetricRegistry metrics,
            LearnerChanges learners, java.time.Clock clock) {
        RenderedMarkdown markdown = new RenderedMarkdown(markdownCacheBytes, metrics);
        this.jdbi = jdbi;
        this.progress = new Progress(jdbi, events, learners, clock);
        this.catalog = new Catalog(jdbi, media, markdown, progress, searchTimeout);
        this.syncListing = new SyncListing(jdbi);
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
        return syncListing.courses(since);
    }

    /** The courses that stopped being public after {@code since} (unpublished by an import or by hand). */
    public List<SyncCatalogue.Removal> catalogueRemovals(java.time.Instant since) {
        return syncListing.removedSince(since);
    }

    public Optional<SyncCatalogue.Course> catalogueCourse(String slug) {
        return syncListing.course(slug);
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

    /**
     * Lessons and articles matching {@code query} (web-search syntax: words, "phrases", -exclusions), best first; a
     * lesson whose captions say it links to the moment. The words said in a subscriber lesson are shown only to a
     * viewer who may watch it: the others see the hit and the moment (as they see its title and notes), not the words,
     * which are the lesson itself.
     *
     * @throws SearchTimeoutException when the search ran longer than {@code content.searchTimeout}
     */
    public List<SearchResult> search(String query, Viewer viewer) {
        List<SearchResult> results = recentSearches.get(query, words -> catalog.search(words, 30));
        if (results.stream().noneMatch(result -> result.saidHtml() != null && result.subscribersOnly())
                || viewer.learnerId().map(billing::isEntitled).orElse(false)) {
            return results;
        }
        return results.stream().map(result -> result.subscribersOnly() ? result.withoutWords() : result).toList();
    }

    /**
     * Forgets what is derived from all the content (recent search results, the courses kept for their pages); called
     * whenever the page cache drops pages, as content changed or a scheduled item's moment came.
     */
    public void forgetDerived() {
        recentSearches.forgetAll();
        catalog.forget();
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
        return jdbi.withExtension(CatalogDao.class, CatalogDao::entries);
    }

    /** Imports a content folder; see {@link ContentImporter}. Nothing changes when it throws. */
    public ImportReport importFolder(Path folder, boolean dryRun) throws ContentImportException {
        return importer.run(folder, dryRun);
    }

    /** Imports the demo content if no course and no article has ever been imported; what it imported, if anything. */
    public Optional<ImportReport> importDemoIfEmpty() {
        return DemoContent.loadIfEmpty(this);
    }

    /**
     * What makes scheduled items appear on time on this node (see {@link PublicationClock}): to be started and
     * stopped with the site.
     */
    public Managed publicationClock(PageCache cache) {
        return new PublicationClock(jdbi, cache);
    }

    /** Whether no course and no article has ever been imported. */
    public boolean isEmpty() {
        return jdbi.withExtension(InventoryDao.class, InventoryDao::isEmpty);
    }

    /** Every course, lesson and article with its state (published, scheduled or draft), for the operator. */
    public List<Pages.InventoryItem> inventory() {
        return jdbi.withExtension(InventoryDao.class, InventoryDao::inventory);
    }

    /**
     * Publishes (now, unless it already has a date) or unpublishes a course or an article by hand, and drops the
     * pages that show it on every node. The next import sets it back to what the content folder says.
     *
     * @return false when there is no such item
     */
    public boolean setPublished(String kind, String slug, boolean published) {
        ToIntFunction<InventoryDao> update = switch (kind) {
            case "course" -> dao -> {
                int rows = published ? dao.publishCourse(slug) : dao.unpublishCourse(slug);
                if (rows > 0) {
                    dao.lessonsFollowCourse(slug);
                }
                return rows;
            };
            case "article" -> dao -> published ? dao.publishArticle(slug) : dao.unpublishArticle(slug);
            default -> throw new IllegalArgumentException("only courses and articles are published by hand");
        };
        return changeByHand(Set.of(kind + ":" + slug, kind + "s"), update);
    }

    /**
     * Publishes or unpublishes one lesson of a course's list by hand (a lesson shows only while its course does
     * too); false when the course lists no such lesson. A lesson published again keeps its first publication time,
     * or takes its course's.
     */
    public boolean setLessonPublished(String courseSlug, String lessonSlug, boolean published) {
        return changeByHand(Set.of("course:" + courseSlug, "courses"), dao -> published
                ? dao.publishLesson(courseSlug, lessonSlug) : dao.unpublishLesson(courseSlug, lessonSlug));
    }

    /**
     * Runs {@code update} in a transaction and, when it changed rows, announces {@code keys} to every node's page
     * cache (in the transaction) and to this one's; false when it changed none.
     */
    private boolean changeByHand(Set<String> keys, ToIntFunction<InventoryDao> update) {
        boolean found = jdbi.inTransaction(handle -> {
            int rows = update.applyAsInt(handle.attach(InventoryDao.class));
            if (rows > 0) {
                PageCacheInvalidation.announce(handle, keys);
            }
            return rows > 0;
        });
        if (found) {
            changedLocally.accept(keys);
        }
        return found;
    }

    /** A lesson's caption file in {@code language}; the caller checks that the viewer may watch the lesson. */
    public Optional<Pages.CaptionFile> captionFile(long lessonId, String language) {
        return jdbi.withExtension(CaptionDao.class, dao -> dao.file(lessonId, language));
    }

    /** Lessons with a video and no captions, as "course/lesson", in catalogue order, for the operator. */
    public List<String> uncaptionedLessons() {
        return uncaptionedLessons(jdbi);
    }

    /** {@link #uncaptionedLessons()} for {@code ops status}, which reads the database without wiring the site. */
    public static List<String> uncaptionedLessons(Jdbi jdbi) {
        return jdbi.withExtension(CaptionDao.class, CaptionDao::uncaptioned);
    }

    /** Lessons' names as "course: lesson", by id, for reports. */
    public Map<Long, String> lessonNames(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbi.withExtension(InventoryDao.class, dao -> dao.lessonNames(List.copyOf(ids)));
    }

    /** The media context, for the resources that deliver a lesson's video. */
    Media media() {
        return media;
    }
}
