package dev.athanor.content;

import com.google.common.html.HtmlEscapers;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.athanor.common.Durations;
import dev.athanor.content.Pages.ArticleCard;
import dev.athanor.content.Pages.ArticleList;
import dev.athanor.content.Pages.ArticlePage;
import dev.athanor.content.Pages.CourseCard;
import dev.athanor.content.Pages.CoursePage;
import dev.athanor.content.Pages.LessonItem;
import dev.athanor.content.Pages.LessonPage;
import dev.athanor.content.Pages.SearchResult;
import dev.athanor.content.Pages.TagLink;
import dev.athanor.content.Pages.TagPage;
import dev.athanor.content.Pages.VideoInfo;
import dev.athanor.media.Media;
import dev.athanor.media.Video;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

/**
 * Assembles the published content into what the pages show. A course with its lessons and videos, as a course or
 * lesson page reads it, is kept in memory until content changes (the page cache's invalidation, on every node, and
 * the publication clock's) so a signed-in page, which the page cache does not serve, reads no content from the
 * database; only the learner's progress is put in per request.
 */
final class Catalog {

    /**
     * A course as its pages show it before any learner's progress is put in: its page, one lesson's page (when
     * asked for), and each lesson's video length in seconds.
     */
    private record Shape(CoursePage course, Optional<LessonPage> lesson, Map<Long, Integer> durations) {
    }

    /** Course shapes kept at most, and for how long at most (a schedule's moment is also told by the clock). */
    private static final long SHAPES_KEPT = 500;
    private static final Duration SHAPES_KEPT_FOR = Duration.ofMinutes(1);

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** How much of a text a meta description is made from: far more than 160 characters, far less than notes. */
    private static final int DESCRIPTION_SOURCE = 1_000;

    static final int ARTICLES_PER_PAGE = 10;
    /**
     * How many matches search ranks in full (CatalogDao#search): enough that ranking is exact for all but the
     * commonest words of a catalogue, few enough that reading their vectors costs about a millisecond.
     */
    static final int SEARCH_CANDIDATES = 200;
    /** PostgreSQL's SQLSTATE for a statement cancelled, here by statement_timeout. */
    private static final String QUERY_CANCELED = "57014";

    private final Jdbi jdbi;
    private final Media media;
    private final RenderedMarkdown markdown;
    private final Progress progress;
    private final Duration searchTimeout;
    private final Cache<String, Shape> shapes = Caffeine.newBuilder().maximumSize(SHAPES_KEPT)
            .expireAfterWrite(SHAPES_KEPT_FOR).build();
    /** Counts {@link #forget} calls, so a shape read before one is not kept after it. */
    private final AtomicLong generation = new AtomicLong();

    Catalog(Jdbi jdbi, Media media, RenderedMarkdown markdown, Progress progress, Duration searchTimeout) {
        this.jdbi = jdbi;
        this.searchTimeout = searchTimeout;
        this.media = media;
        this.markdown = markdown;
        this.progress = progress;
    }

    List<CourseCard> courses() {
        return jdbi.withExtension(CatalogDao.class, dao -> {
            List<Rows.Course> courses = dao.courses();
            if (courses.isEmpty()) {
                return List.of();
            }
            Map<Long, List<Rows.Lesson>> lessons = dao.lessonsOf(courses.stream().map(Rows.Course::id).toList())
                    .stream().collect(Collectors.groupingBy(Rows.Lesson::courseId));
            Map<Long, Video> videos = videosOf(lessons.values().stream().flatMap(List::stream).toList());
            return courses.stream().map(course -> card(course, lessons.getOrDefault(course.id(), List.of()), videos))
                    .toList();
        });
    }

    Optional<CoursePage> course(String slug, Optional<Long> learner) {
        return shape(slug, null).map(shape -> {
            CoursePage page = shape.course();
            if (learner.isEmpty()) {
                return page;
            }
            List<LessonItem> items = withProgress(page.lessons(), shape.durations(), progress.of(learner.get()));
            return new CoursePage(page.id(), page.slug(), page.title(), page.summary(), page.descriptionHtml(),
                    page.coverUrl(), page.url(), page.totalDuration(), items, progress.continueWith(items),
                    page.updatedAt());
        });
    }

    Optional<LessonPage> lesson(String courseSlug, String lessonSlug, Optional<Long> learner) {
        return shape(courseSlug, lessonSlug).flatMap(shape -> shape.lesson().map(page -> {
            if (learner.isEmpty()) {
                return page;
            }
            List<LessonItem> items = withProgress(shape.course().lessons(), shape.durations(),
                    progress.of(learner.get()));
            int index = page.number() - 1;
            return new LessonPage(page.id(), page.slug(), page.title(), page.number(), page.lessonCount(), page.url(),
                    page.notesHtml(), page.description(), page.course(), page.video(), page.free(),
                    index > 0 ? Optional.of(items.get(index - 1)) : Optional.empty(),
                    index + 1 < items.size() ? Optional.of(items.get(index + 1)) : Optional.empty(),
                    items.get(index), page.updatedAt());
        }));
    }

    /** Forgets every kept course shape: content changed, or a scheduled item's moment came. */
    void forget() {
        generation.incrementAndGet();
        shapes.invalidateAll();
    }

    /**
     * A published course as its pages show it to nobody in particular, with the lesson {@code withNotes} (none when
     * null) made up as well: kept until content changes.
     */
    private Optional<Shape> shape(String courseSlug, String withNotes) {
        String key = withNotes == null ? courseSlug : courseSlug + "/" + withNotes;
        Shape kept = shapes.getIfPresent(key);
        if (kept != null) {
            return Optional.of(kept);
        }
        long before = generation.get();
        Optional<Shape> read = jdbi.withHandle(handle -> new CoursePageDao(handle)
                .courseWithLessons(courseSlug, withNotes)).map(found -> shape(found, withNotes));
        // Only what exists is kept: slugs anyone may make up must not push real courses out.
        read.ifPresent(shape -> {
            shapes.put(key, shape);
            if (generation.get() != before) {
                shapes.invalidate(key); // content changed while it was read
            }
        });
        return read;
    }

    private Shape shape(CourseWithLessons found, String withNotes) {
        Rows.Course course = found.course();
        List<Rows.Lesson> lessons = found.lessons();
        Map<Long, Video> videos = videosOf(lessons);
        List<LessonItem> items = items(course, lessons, videos);
        Map<Long, Integer> durations = lessons.stream()
                .filter(lesson -> lesson.videoId() != null && videos.containsKey(lesson.videoId()))
                .collect(Collectors.toUnmodifiableMap(Rows.Lesson::id, lesson -> videos.get(lesson.videoId())
                        .durationSeconds()));
        CoursePage page = new CoursePage(course.id(), course.slug(), course.title(), course.summary(),
                markdown.render(course.descriptionMarkdown()).html(), coverUrl(course), courseUrl(course.slug()),
                Durations.inMinutes(totalLength(lessons, videos)), items, Optional.empty(),
                course.updatedAt().toString());
        int index = withNotes == null ? -1 : indexOf(lessons, withNotes);
        Optional<LessonPage> lessonPage = index < 0 ? Optional.empty()
                : Optional.of(lessonPage(course, lessons, index, videos, items, found.transcript()));
        return new Shape(page, lessonPage, durations);
    }

    private LessonPage lessonPage(Rows.Course course, List<Rows.Lesson> lessons, int index, Map<Long, Video> videos,
            List<LessonItem> items, List<CoursePageDao.TranscriptLine> transcript) {
        Rows.Lesson lesson = lessons.get(index);
        String url = lessonUrl(course.slug(), lesson.slug());
        Optional<VideoInfo> video = Optional.ofNullable(lesson.videoId()).map(videos::get).map(v ->
                new VideoInfo(v.id(), url + "/video", v.contentType(),
                        Durations.clock(Duration.ofSeconds(v.durationSeconds())), v.durationSeconds(),
                        v.sizeBytes(), Transcripts.of(transcript, url)));
        Markdown.Rendered notes = markdown.render(lesson.notesMarkdown());
        return new LessonPage(lesson.id(), lesson.slug(), lesson.title(), index + 1, lessons.size(),
                lessonUrl(course.slug(), lesson.slug()), notes.html(), description(notes.text()),
                card(course, lessons, videos), video, lesson.freePreview(),
                index > 0 ? Optional.of(items.get(index - 1)) : Optional.empty(),
                index + 1 < items.size() ? Optional.of(items.get(index + 1)) : Optional.empty(),
                items.get(index), lesson.updatedAt().toString());
    }

    /** The lessons as a learner sees them: {@code base} with their progress put in. */
    private static List<LessonItem> withProgress(List<LessonItem> base, Map<Long, Integer> durations,
            Map<Long, Progress.State> states) {
        if (states.isEmpty()) {
            return base;
        }
        List<LessonItem> items = new ArrayList<>(base.size());
        for (LessonItem item : base) {
            Progress.State state = states.get(item.id());
            if (state == null) {
                items.add(item);
                continue;
            }
            int duration = durations.getOrDefault(item.id(), 0);
            int percent = state.completed() ? 100
                    : duration == 0 ? 0 : Math.min(100, (int) (100L * state.positionSeconds() / duration));
            items.add(new LessonItem(item.id(), item.slug(), item.title(), item.url(), item.number(),
                    item.duration(), item.free(), state.completed(), percent, true));
        }
        return items;
    }

    ArticleList articles(int page) {
        return jdbi.withExtension(CatalogDao.class, dao -> {
            int offset = (page - 1) * ARTICLES_PER_PAGE;
            List<ArticleCard> cards = dao.articles(ARTICLES_PER_PAGE, offset).stream()
                    .map(article -> articleCard(article, dao.tagsOf(article.id()))).toList();
            return new ArticleList(cards, page, page > 1, offset + ARTICLES_PER_PAGE < dao.articleCount());
        });
    }

    Optional<ArticlePage> article(String slug) {
        return jdbi.withExtension(CatalogDao.class, dao -> dao.article(slug).map(article -> {
            ArticleCard card = articleCard(article, dao.tagsOf(article.id()));
            return new ArticlePage(article.id(), article.slug(), article.title(), article.summary(),
                    markdown.render(article.bodyMarkdown()).html(), card.url(), card.date(), card.isoDate(),
                    card.tags(), article.updatedAt().toString());
        }));
    }

    Optional<TagPage> tag(String slug) {
        return jdbi.withExtension(CatalogDao.class, dao -> dao.tag(slug).map(tag -> new TagPage(tagLink(tag),
                dao.articlesTagged(tag.id()).stream().map(article -> articleCard(article, dao.tagsOf(article.id())))
                        .toList())));
    }

    /**
     * The {@code limit} best matches for {@code query}, bounded by {@link #searchTimeout}.
     *
     * @throws SearchTimeoutException when PostgreSQL cancelled the search for taking longer than the timeout
     */
    List<SearchResult> search(String query, int limit) {
        if (query.isBlank()) {
            return List.of();
        }
        List<Rows.SearchHit> hits;
        try {
            hits = jdbi.inTransaction(handle -> {
                CatalogDao dao = handle.attach(CatalogDao.class);
                dao.limitStatementsTo(searchTimeout.toMillis());
                return dao.search(query, limit, SEARCH_CANDIDATES);
            });
        } catch (StatementException e) {
            if (e.getCause() instanceof SQLException cause && QUERY_CANCELED.equals(cause.getSQLState())) {
                throw new SearchTimeoutException(query, searchTimeout);
            }
            throw e;
        }
        return hits.stream().map(hit -> {
            if (!hit.kind().equals("lesson")) {
                return new SearchResult(hit.kind(), hit.title(), "/articles/" + hit.slug(), highlight(hit.snippet()),
                        "Article");
            }
            String url = lessonUrl(hit.courseSlug(), hit.slug());
            if (hit.saidAtMs() == null) {
                return new SearchResult(hit.kind(), hit.title(), url, highlight(hit.snippet()), "Lesson");
            }
            return new SearchResult(hit.kind(), hit.title(), url, highlight(hit.snippet()), "Lesson",
                    Transcripts.seconds(hit.saidAtMs()), Durations.clock(hit.saidAtMs()), highlight(hit.said()),
                    !hit.free());
        }).toList();
    }

    /** The new address of a renamed item's old one ({@code kind} course, lesson or article), if it was renamed. */
    Optional<String> redirect(String kind, String oldPath) {
        return jdbi.withExtension(CatalogDao.class, dao -> dao.redirect(kind, oldPath).flatMap(id -> switch (kind) {
            case "course" -> dao.courseSlug(id).map(Catalog::courseUrl);
            case "lesson" -> dao.lessonPath(id).map(path -> "/courses/" + path);
            case "article" -> dao.articleSlug(id).map(slug -> "/articles/" + slug);
            default -> Optional.empty();
        }));
    }

    static String courseUrl(String slug) {
        return "/courses/" + slug;
    }

    static String lessonUrl(String courseSlug, String lessonSlug) {
        return "/courses/" + courseSlug + "/" + lessonSlug;
    }

    private CourseCard card(Rows.Course course, List<Rows.Lesson> lessons, Map<Long, Video> videos) {
        return new CourseCard(course.slug(), course.title(), course.summary(), courseUrl(course.slug()),
                coverUrl(course), lessons.size(), Durations.inMinutes(totalLength(lessons, videos)),
                lessons.stream().anyMatch(Rows.Lesson::freePreview));
    }

    /** The course's lessons in order, as listed to nobody in particular (no progress). */
    private static List<LessonItem> items(Rows.Course course, List<Rows.Lesson> lessons, Map<Long, Video> videos) {
        List<LessonItem> items = new ArrayList<>();
        for (int i = 0; i < lessons.size(); i++) {
            Rows.Lesson lesson = lessons.get(i);
            Video video = lesson.videoId() == null ? null : videos.get(lesson.videoId());
            items.add(new LessonItem(lesson.id(), lesson.slug(), lesson.title(),
                    lessonUrl(course.slug(), lesson.slug()), i + 1,
                    video == null ? "" : Durations.clock(Duration.ofSeconds(video.durationSeconds())),
                    lesson.freePreview(), false, 0, false));
        }
        return items;
    }

    private ArticleCard articleCard(Rows.Article article, List<Rows.Tag> tags) {
        return new ArticleCard(article.slug(), article.title(), article.summary(), "/articles/" + article.slug(),
                PageDates.date(article.publishedAt()), PageDates.isoDate(article.publishedAt()),
                tags.stream().map(Catalog::tagLink).toList());
    }

    private static TagLink tagLink(Rows.Tag tag) {
        return new TagLink(tag.slug(), tag.name(), "/tags/" + tag.slug());
    }

    private Map<Long, Video> videosOf(List<Rows.Lesson> lessons) {
        return media.videos(lessons.stream().map(Rows.Lesson::videoId).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet()));
    }

    private static Duration totalLength(List<Rows.Lesson> lessons, Map<Long, Video> videos) {
        return Duration.ofSeconds(lessons.stream().map(Rows.Lesson::videoId).filter(java.util.Objects::nonNull)
                .map(videos::get).filter(java.util.Objects::nonNull).mapToLong(Video::durationSeconds).sum());
    }

    private static String coverUrl(Rows.Course course) {
        return course.coverImage() == null ? null : "/media/" + course.coverImage();
    }

    private static int indexOf(List<Rows.Lesson> lessons, String slug) {
        for (int i = 0; i < lessons.size(); i++) {
            if (lessons.get(i).slug().equals(slug)) {
                return i;
            }
        }
        return -1;
    }

    /** The first sentence or two of plain text, for meta descriptions (only the text's start is read). */
    static String description(String text) {
        String head = text.length() <= DESCRIPTION_SOURCE ? text : text.substring(0, DESCRIPTION_SOURCE);
        String flat = WHITESPACE.matcher(head).replaceAll(" ").strip();
        return flat.length() <= 160 ? flat : flat.substring(0, flat.lastIndexOf(' ', 157)) + "…";
    }

    /** Escapes a search snippet, then turns the match markers PostgreSQL put in into {@code <mark>}. */
    static String highlight(String snippet) {
        return HtmlEscapers.htmlEscaper().escape(snippet == null ? "" : snippet).replace("\u27e6", "<mark>")
                .replace("\u27e7", "</mark>");
    }
}
