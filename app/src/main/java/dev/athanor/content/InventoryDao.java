package dev.athanor.content;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Everything there is, published, scheduled or draft, as the operator sees it and publishes it by hand. Publishing
 * keeps an item's first publication time (a scheduled item stays scheduled); a course that stops being public notes
 * when ({@code unpublished_at}, for the sync API's removals). Each update returns the rows it changed.
 */
interface InventoryDao {

    @SqlQuery("SELECT NOT EXISTS (SELECT 1 FROM course) AND NOT EXISTS (SELECT 1 FROM article)")
    boolean isEmpty();

    /** Courses in catalogue order, each followed by its lessons, then the articles. */
    @SqlQuery("""
            SELECT 'course' AS kind, slug AS path, title, published_at AS published, true AS publishable,
                   0 AS course_position, position
            FROM course
            UNION ALL
            SELECT 'lesson', c.slug || '/' || l.slug, l.title, l.published_at, l.position > 0, c.position, l.position
            FROM lesson l JOIN course c ON c.id = l.course_id
            UNION ALL
            SELECT 'article', slug, title, published_at, true, 1000000, 0 FROM article
            ORDER BY course_position, kind DESC, position, path""")
    @RegisterConstructorMapper(Pages.InventoryItem.class)
    List<Pages.InventoryItem> inventory();

    /** Lessons' names as "course: lesson", by id. */
    @SqlQuery("""
            SELECT l.id, c.title || ': ' || l.title AS name FROM lesson l JOIN course c ON c.id = l.course_id
            WHERE l.id IN (<ids>)""")
    @KeyColumn("id")
    @ValueColumn("name")
    Map<Long, String> lessonNames(@BindList("ids") List<Long> ids);

    @SqlUpdate("UPDATE course SET published_at = coalesce(published_at, now()), updated_at = now() WHERE slug = :slug")
    int publishCourse(String slug);

    @SqlUpdate("""
            UPDATE course SET published_at = NULL, updated_at = now(),
                unpublished_at = CASE WHEN course.published_at <= now() THEN now() ELSE course.unpublished_at END
            WHERE slug = :slug""")
    int unpublishCourse(String slug);

    /** Gives the lessons a course lists the course's publication time, after it was published or unpublished. */
    @SqlUpdate("""
            UPDATE lesson SET published_at = (SELECT published_at FROM course c WHERE c.id = lesson.course_id),
                updated_at = now()
            WHERE course_id = (SELECT id FROM course WHERE slug = :slug) AND position > 0""")
    int lessonsFollowCourse(String slug);

    @SqlUpdate("UPDATE article SET published_at = coalesce(published_at, now()), updated_at = now() WHERE slug = :slug")
    int publishArticle(String slug);

    @SqlUpdate("UPDATE article SET published_at = NULL, updated_at = now() WHERE slug = :slug")
    int unpublishArticle(String slug);

    /** Publishes a lesson the course lists, at its first publication time, else its course's, else now. */
    @SqlUpdate("""
            UPDATE lesson SET published_at = coalesce(published_at,
                    (SELECT published_at FROM course c WHERE c.id = lesson.course_id), now()), updated_at = now()
            WHERE slug = :lessonSlug AND position > 0 AND course_id = (SELECT id FROM course WHERE slug = :courseSlug)""")
    int publishLesson(String courseSlug, String lessonSlug);

    @SqlUpdate("""
            UPDATE lesson SET published_at = NULL, updated_at = now()
            WHERE slug = :lessonSlug AND position > 0 AND course_id = (SELECT id FROM course WHERE slug = :courseSlug)""")
    int unpublishLesson(String courseSlug, String lessonSlug);
}
