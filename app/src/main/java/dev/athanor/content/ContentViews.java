package dev.athanor.content;

import dev.athanor.content.Pages.ArticleCard;
import dev.athanor.content.Pages.ArticleList;
import dev.athanor.content.Pages.ArticlePage;
import dev.athanor.content.Pages.CourseCard;
import dev.athanor.content.Pages.CoursePage;
import dev.athanor.content.Pages.LessonPage;
import dev.athanor.content.Pages.SearchResult;
import dev.athanor.content.Pages.TagPage;
import dev.athanor.platform.web.Layout;
import dev.athanor.platform.web.PageView;
import java.util.List;

/** The content pages' views: each pairs a template in this package with what it shows. */
final class ContentViews {

    private ContentViews() {
    }

    /** The front page: the courses and the latest articles. */
    public static final class Home extends PageView {
        public final List<CourseCard> courses;
        public final List<ArticleCard> articles;

        Home(Layout layout, List<CourseCard> courses, List<ArticleCard> articles) {
            super("home.mustache", layout, layout.siteName(), layout.tagline(), "/", "website");
            this.courses = courses;
            this.articles = articles;
        }
    }

    /** Every published course. */
    public static final class Catalogue extends PageView {
        public final List<CourseCard> courses;

        Catalogue(Layout layout, List<CourseCard> courses) {
            super("catalogue.mustache", layout, "Courses", "Every course on " + layout.siteName() + ".", "/courses",
                    "website");
            this.courses = courses;
        }
    }

    /** A course with its lessons, and the viewer's progress when signed in. */
    public static final class Course extends PageView {
        public final CoursePage course;
        public final boolean signedIn;

        Course(Layout layout, CoursePage course, boolean signedIn) {
            super("course.mustache", layout, course.title(), course.summary(), course.url(), "website");
            this.course = course;
            this.signedIn = signedIn;
        }

        public Pages.LessonItem getContinueWith() {
            return course.continueWith().orElse(null);
        }
    }

    /** A lesson: the player for those who may watch, the notes, and the way on. */
    public static final class Lesson extends PageView {
        public final LessonPage lesson;
        public final boolean canWatch;
        public final boolean signedIn;
        public final int resumeAt;
        /** While a failed payment waits to be fixed: the day access ends (a banner says so). */
        public final String graceUntil;

        Lesson(Layout layout, LessonPage lesson, boolean canWatch, boolean signedIn, int resumeAt,
                String graceUntil) {
            super("lesson.mustache", layout, lesson.title() + " · " + lesson.course().title(), lesson.description(),
                    lesson.url(), "video.other");
            this.lesson = lesson;
            this.canWatch = canWatch;
            this.signedIn = signedIn;
            this.resumeAt = resumeAt;
            this.graceUntil = graceUntil;
        }

        public boolean isLocked() {
            return lesson.video().isPresent() && !canWatch;
        }

        public Pages.VideoInfo getPlayer() {
            return canWatch ? lesson.video().orElse(null) : null;
        }

        public Pages.LessonItem getPrevious() {
            return lesson.previous().orElse(null);
        }

        public Pages.LessonItem getNext() {
            return lesson.next().orElse(null);
        }

        public boolean isCompleted() {
            return lesson.progress().completed();
        }

        public String getProgressUrl() {
            return lesson.url() + "/progress";
        }

        public String getCompleteUrl() {
            return lesson.url() + "/complete";
        }
    }

    /** A page of the article list. */
    public static final class Articles extends PageView {
        public final ArticleList list;

        Articles(Layout layout, ArticleList list) {
            super("articles.mustache", layout, list.page() == 1 ? "Articles" : "Articles, page " + list.page(),
                    "Articles from " + layout.siteName() + ".",
                    list.page() == 1 ? "/articles" : "/articles?page=" + list.page(), "website");
            this.list = list;
        }

        public String getNewerUrl() {
            return list.page() == 2 ? "/articles" : "/articles?page=" + (list.page() - 1);
        }

        public String getOlderUrl() {
            return "/articles?page=" + (list.page() + 1);
        }
    }

    /** An article. */
    public static final class Article extends PageView {
        public final ArticlePage article;

        Article(Layout layout, ArticlePage article) {
            super("article.mustache", layout, article.title(), article.summary(), article.url(), "article");
            this.article = article;
        }
    }

    /** The articles with a tag. */
    public static final class Tag extends PageView {
        public final TagPage tag;

        Tag(Layout layout, TagPage tag) {
            super("tag.mustache", layout, "Tagged " + tag.tag().name(), "Articles tagged " + tag.tag().name() + ".",
                    tag.tag().url(), "website");
            this.tag = tag;
        }
    }

    /** Search results, or word that the search took too long. */
    public static final class Search extends PageView {
        public final String query;
        public final List<SearchResult> results;
        /** The search was cancelled for taking too long: no results, a request for narrower words instead. */
        public final boolean tooSlow;

        Search(Layout layout, String query, List<SearchResult> results) {
            this(layout, query, results, false);
        }

        private Search(Layout layout, String query, List<SearchResult> results, boolean tooSlow) {
            super("search.mustache", layout, query.isBlank() ? "Search" : "Search: " + query,
                    "Search the lessons and articles.", null, "website");
            this.query = query;
            this.results = results;
            this.tooSlow = tooSlow;
        }

        /** The page for a search that ran out of time. */
        static Search tooSlow(Layout layout, String query) {
            return new Search(layout, query, List.of(), true);
        }

        public boolean isSearched() {
            return !query.isBlank();
        }
    }
}
