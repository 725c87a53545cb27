package dev.athanor.content;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * What an import reads and writes, inside its one transaction: courses, lessons and articles upserted by id (the
 * long upserts in {@code ImportDao/*.sql}), tags, and the old addresses of renamed items.
 */
@RegisterConstructorMapper(ImportDao.Found.class)
interface ImportDao extends SqlObject {

    /** An item as the database has it: its source's fingerprint and whether it is published. */
    record Found(long id, String sourceHash, boolean published) {
    }

    /** Lets lessons swap places within a course: the unique positions are checked at commit. */
    @SqlUpdate("SET CONSTRAINTS lesson_position_unique DEFERRED")
    void deferLessonPositions();

    @SqlQuery("SELECT id, source_hash, published_at IS NOT NULL AS published FROM course WHERE slug = :slug")
    Optional<Found> findCourse(String slug);

    @SqlQuery("""
            SELECT id, source_hash, published_at IS NOT NULL AS published FROM lesson
            WHERE slug = :slug AND course_id = :courseId""")
    Optional<Found> findLesson(long courseId, String slug);

    @SqlQuery("SELECT id, source_hash, published_at IS NOT NULL AS published FROM article WHERE slug = :slug")
    Optional<Found> findArticle(String slug);

    /** Creates the course ({@code id} null) or updates it, noting when it stops being public; returns its id. */
    @SqlQuery
    @UseClasspathSqlLocator
    long upsertCourse(Long id, String slug, String title, String summary, String description, String cover,
            int position, Instant published, String hash);

    /** Creates the lesson ({@code id} null) or updates it; returns its id. */
    @SqlQuery
    @UseClasspathSqlLocator
    long upsertLesson(Long id, long courseId, String slug, String title, int position, String notes, String text,
            Long videoId, boolean free, Instant published, String hash);

    /** Creates the article ({@code id} null) or updates it; returns its id. */
    @SqlQuery
    @UseClasspathSqlLocator
    long upsertArticle(Long id, String slug, String title, String summary, String body, String text,
            Instant published, String hash);

    /** Unpublishes the course's published lessons it no longer lists, moving them out of the listed ones' way. */
    @SqlQuery("""
            UPDATE lesson SET published_at = NULL, position = -id, updated_at = now()
            WHERE course_id = :courseId AND published_at IS NOT NULL AND slug <> ALL(:listed) RETURNING slug""")
    List<String> unpublishUnlistedLessons(long courseId, String[] listed);

    /** Moves the course's unlisted drafts out of the listed lessons' positions. */
    @SqlUpdate("UPDATE lesson SET position = -id WHERE course_id = :courseId AND position > 0 AND slug <> ALL(:listed)")
    void moveAsideUnlistedLessons(long courseId, String[] listed);

    /** Unpublishes the courses the folder no longer has (noting when they stopped being public); their slugs. */
    @SqlQuery("""
            UPDATE course SET published_at = NULL, updated_at = now(),
                unpublished_at = CASE WHEN course.published_at <= now() THEN now() ELSE course.unpublished_at END
            WHERE published_at IS NOT NULL AND slug <> ALL(:present) RETURNING slug""")
    List<String> unpublishCoursesNotIn(String[] present);

    /** Unpublishes the articles the folder no longer has; their slugs. */
    @SqlQuery("""
            UPDATE article SET published_at = NULL, updated_at = now()
            WHERE published_at IS NOT NULL AND slug <> ALL(:present) RETURNING slug""")
    List<String> unpublishArticlesNotIn(String[] present);

    @SqlUpdate("DELETE FROM article_tag WHERE article_id = :articleId")
    void untagArticle(long articleId);

    @SqlUpdate("INSERT INTO tag (slug, name) VALUES (:slug, :name) ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name")
    void saveTag(String slug, String name);

    @SqlUpdate("""
            INSERT INTO article_tag (article_id, tag_id) SELECT :articleId, id FROM tag WHERE slug = :tagSlug
            ON CONFLICT DO NOTHING""")
    void tagArticle(long articleId, String tagSlug);

    /** Remembers that {@code oldPath} of {@code kind} (course, lesson or article) now leads to {@code targetId}. */
    @SqlUpdate("""
            INSERT INTO slug_redirect (kind, old_path, target_id) VALUES (:kind, :oldPath, :targetId)
            ON CONFLICT (kind, old_path) DO UPDATE SET target_id = EXCLUDED.target_id""")
    void redirect(String kind, String oldPath, long targetId);
}
