package dev.athanor.content;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What visitors may see: published courses, lessons, articles and tags (published_at in the past). */
@RegisterConstructorMapper(Rows.Course.class)
@RegisterConstructorMapper(Rows.Lesson.class)
@RegisterConstructorMapper(Rows.Article.class)
@RegisterConstructorMapper(Rows.Tag.class)
interface CatalogDao {

    String COURSE = "id, slug, title, summary, description_markdown, cover_image, position, published_at, updated_at";
    String LESSON = "id, course_id, slug, title, position, notes_markdown, notes_text, video_id, free_preview,"
            + " published_at, updated_at";
    String ARTICLE = "id, slug, title, summary, body_markdown, body_text, published_at, updated_at";

    @SqlQuery("SELECT " + COURSE + " FROM course WHERE published_at <= now() ORDER BY position, published_at DESC,"
            + " title")
    List<Rows.Course> courses();

    @SqlQuery("SELECT " + LESSON + " FROM lesson WHERE published_at <= now() AND course_id IN (<courseIds>)"
            + " ORDER BY course_id, position")
    List<Rows.Lesson> lessonsOf(@BindList("courseIds") List<Long> courseIds);

    /**
     * When each course's lessons last changed, published or not: a lesson unpublished or dropped from its course
     * changes the course, though the course no longer shows it.
     */
    @SqlQuery("SELECT course_id, max(updated_at) AS changed_at FROM lesson WHERE course_id IN (<courseIds>)"
            + " GROUP BY course_id")
    @KeyColumn("course_id")
    @ValueColumn("changed_at")
    Map<Long, Instant> lessonsChangedAt(@BindList("courseIds") List<Long> courseIds);

    /** Courses that stopped being public after {@code since} and are not public now, oldest removal first. */
    @SqlQuery("""
            SELECT slug, unpublished_at FROM course
            WHERE unpublished_at > :since AND (published_at IS NULL OR published_at > now())
            ORDER BY unpublished_at, slug""")
    @RegisterConstructorMapper(SyncCatalogue.Removal.class)
    List<SyncCatalogue.Removal> coursesRemovedSince(@Bind("since") Instant since);

    @SqlQuery("SELECT " + ARTICLE + " FROM article WHERE published_at <= now()"
            + " ORDER BY published_at DESC, id DESC LIMIT :limit OFFSET :offset")
    List<Rows.Article> articles(@Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("SELECT count(*) FROM article WHERE published_at <= now()")
    int articleCount();

    @SqlQuery("SELECT " + ARTICLE + " FROM article WHERE slug = :slug AND published_at <= now()")
    Optional<Rows.Article> article(@Bind("slug") String slug);

    @SqlQuery("""
            SELECT t.id, t.slug, t.name FROM tag t JOIN article_tag at ON at.tag_id = t.id
            WHERE at.article_id = :articleId ORDER BY t.name""")
    List<Rows.Tag> tagsOf(@Bind("articleId") long articleId);

    @SqlQuery("SELECT id, slug, name FROM tag WHERE slug = :slug")
    Optional<Rows.Tag> tag(@Bind("slug") String slug);

    @SqlQuery("""
            SELECT a.id, a.slug, a.title, a.summary, a.body_markdown, a.body_text, a.published_at, a.updated_at
            FROM article a JOIN article_tag at ON at.article_id = a.id
            WHERE at.tag_id = :tagId AND a.published_at <= now() ORDER BY a.published_at DESC""")
    List<Rows.Article> articlesTagged(@Bind("tagId") long tagId);

    @SqlQuery("SELECT target_id FROM slug_redirect WHERE kind = :kind AND old_path = :oldPath")
    Optional<Long> redirect(@Bind("kind") String kind, @Bind("oldPath") String oldPath);

    @SqlQuery("SELECT slug FROM course WHERE id = :id")
    Optional<String> courseSlug(@Bind("id") long id);

    @SqlQuery("SELECT c.slug || '/' || l.slug FROM lesson l JOIN course c ON c.id = l.course_id WHERE l.id = :id")
    Optional<String> lessonPath(@Bind("id") long id);

    @SqlQuery("SELECT slug FROM article WHERE id = :id")
    Optional<String> articleSlug(@Bind("id") long id);

    /**
     * The {@code limit} best lessons and articles for {@code query}, best first, each with a highlighted snippet
     * (search.sql). The work is bounded by what is shown, not by how many items match:
     * <ol>
     *   <li>the GIN indexes find the matches without reading their vectors (a plain word needs no recheck), and each
     *       is ranked by its small in-row {@code search_head} (title, and an article's summary) only;
     *   <li>the best {@code candidates} of those, newest first among equals, are ranked by {@code ts_rank} over the
     *       full vector as before: that is exact whenever no more than {@code candidates} items match, and otherwise
     *       keeps every title or summary match and the newest of the rest. A full vector of a long article lives out
     *       of line (TOAST); reading one costs about 6 microseconds, so ranking 1,000 matches in full cost 6 to 12 ms,
     *       while 1,000 heads cost under 1 ms;
     *   <li>ts_headline, which parses and stems every word it is given (about 2 ms for a 1,500-word article), runs
     *       only for the rows returned, and on a 640-character window around the first likely match.
     * </ol>
     */
    @SqlQuery
    @UseClasspathSqlLocator
    @RegisterConstructorMapper(Rows.SearchHit.class)
    List<Rows.SearchHit> search(@Bind("query") String query, @Bind("limit") int limit,
            @Bind("candidates") int candidates);

    /**
     * Cancels any later statement of this transaction that runs longer than {@code millis} (PostgreSQL answers such a
     * statement with SQLSTATE 57014); ends with the transaction.
     */
    @SqlQuery("SELECT set_config('statement_timeout', :millis || 'ms', true)")
    String limitStatementsTo(@Bind("millis") long millis);

    /** Every published course, lesson and article, newest first, for the feed and the sitemap. */
    @SqlQuery("""
            SELECT 'course' AS kind, title, '/courses/' || slug AS url, summary, published_at AS published,
                   updated_at AS updated
            FROM course WHERE published_at <= now()
            UNION ALL
            SELECT 'lesson', l.title, '/courses/' || c.slug || '/' || l.slug, c.title, l.published_at, l.updated_at
            FROM lesson l JOIN course c ON c.id = l.course_id
            WHERE l.published_at <= now() AND c.published_at <= now()
            UNION ALL
            SELECT 'article', title, '/articles/' || slug, summary, published_at, updated_at
            FROM article WHERE published_at <= now()
            ORDER BY published DESC, url""")
    @RegisterConstructorMapper(Pages.Entry.class)
    List<Pages.Entry> entries();

    /** The database's clock, which decides what is published. */
    @SqlQuery("SELECT now()")
    OffsetDateTime now();

    /** The database's time now, and whether a course, lesson or article became public after {@code since}. */
    @SqlQuery("""
            SELECT now() AS looked,
                   EXISTS (SELECT 1 FROM course WHERE published_at > :since AND published_at <= now())
                OR EXISTS (SELECT 1 FROM lesson WHERE published_at > :since AND published_at <= now())
                OR EXISTS (SELECT 1 FROM article WHERE published_at > :since AND published_at <= now()) AS due""")
    @RegisterConstructorMapper(Look.class)
    Look lookSince(OffsetDateTime since);

    /** A look for items published on schedule: when it was taken, and whether one became public. */
    record Look(OffsetDateTime looked, boolean due) {
    }
}
