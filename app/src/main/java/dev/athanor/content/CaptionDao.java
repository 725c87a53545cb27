package dev.athanor.content;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Lessons' captions: written by an import (all of a lesson's at once, inside its transaction), served as files,
 * listed for the API and the feed, and counted for the operator. A lesson page reads them through
 * {@link CoursePageDao#transcript}.
 */
@RegisterConstructorMapper(CaptionDao.Track.class)
interface CaptionDao {

    /** A lesson's caption file in one language, without its text. */
    record Track(long lessonId, String language, String label) {
    }

    @SqlUpdate("DELETE FROM caption WHERE lesson_id = :lessonId")
    void forget(@Bind("lessonId") long lessonId);

    @SqlUpdate("""
            INSERT INTO caption (lesson_id, language, label, position, vtt, sha256)
            VALUES (:lessonId, :language, :label, :position, :vtt, :sha256)""")
    void add(@Bind("lessonId") long lessonId, @Bind("language") String language, @Bind("label") String label,
            @Bind("position") int position, @Bind("vtt") String vtt, @Bind("sha256") String sha256);

    @SqlBatch("""
            INSERT INTO caption_cue (lesson_id, language, position, start_ms, end_ms, text)
            VALUES (:lessonId, :language, :position, :startMs, :endMs, :text)""")
    void addCues(@Bind("lessonId") long lessonId, @Bind("language") String language,
            @Bind("position") List<Integer> positions, @Bind("startMs") List<Integer> starts,
            @Bind("endMs") List<Integer> ends, @Bind("text") List<String> texts);

    /** What the lesson's captions say, every language's, for search. */
    @SqlUpdate("UPDATE lesson SET captions_text = :text WHERE id = :lessonId")
    void said(@Bind("lessonId") long lessonId, @Bind("text") String text);

    /** The captions of these lessons, each lesson's in its file's order. */
    @SqlQuery("""
            SELECT lesson_id, language, label FROM caption WHERE lesson_id IN (<lessonIds>)
            ORDER BY lesson_id, position""")
    List<Track> tracks(@BindList("lessonIds") List<Long> lessonIds);

    @SqlQuery("SELECT vtt, sha256 FROM caption WHERE lesson_id = :lessonId AND language = :language")
    @RegisterConstructorMapper(Pages.CaptionFile.class)
    Optional<Pages.CaptionFile> file(@Bind("lessonId") long lessonId, @Bind("language") String language);

    /** Lessons with a video and no captions, as "course/lesson", in catalogue order (drafts too). */
    @SqlQuery("""
            SELECT c.slug || '/' || l.slug FROM lesson l JOIN course c ON c.id = l.course_id
            WHERE l.video_id IS NOT NULL AND l.position > 0
              AND NOT EXISTS (SELECT 1 FROM caption WHERE caption.lesson_id = l.id)
            ORDER BY c.position, c.slug, l.position""")
    List<String> uncaptioned();
}
