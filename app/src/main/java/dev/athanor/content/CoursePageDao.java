package dev.athanor.content;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The reads a course or lesson page is made from, in plain JDBC on a Jdbi handle's connection. They are what a
 * page rendered afresh waits for, and Jdbi's SqlObject machinery (attaching a DAO prepares each of its methods;
 * every statement looks up a mapper for each column) cost more than the queries did: over a third of a cold render
 * of the 30 KB lesson (bench/README.md, 2026-12-07). The other reads stay in {@link CatalogDao} and
 * {@link CaptionDao}.
 */
final class CoursePageDao {

    /** One cue of a lesson's captions in one language, for its player's tracks and its transcript. */
    record TranscriptLine(String language, String label, int startMs, String text) {
    }

    /**
     * A published course and its published lessons in one round trip: one row per lesson, or one row with empty
     * lesson columns for a course without lessons. Only the lesson named by the second parameter carries its notes:
     * a lesson page shows one lesson's notes, a course page none, and notes are the bulk of a lesson row.
     */
    private static final String COURSE_WITH_LESSONS = """
            SELECT c.id, c.slug, c.title, c.summary, c.description_markdown, c.cover_image, c.position,
                   c.published_at, c.updated_at,
                   l.id, l.course_id, l.slug, l.title, l.position,
                   CASE WHEN l.slug = ? THEN l.notes_markdown ELSE '' END, l.video_id, l.free_preview,
                   l.published_at, l.updated_at
            FROM course c
            LEFT JOIN lesson l ON l.course_id = c.id AND l.published_at <= now()
            WHERE c.slug = ? AND c.published_at <= now()
            ORDER BY l.position""";

    /**
     * Every cue of the captions of the lesson named by the second parameter in the course named by the first,
     * language by language in the lesson file's order, each in time order: one query gives the player its tracks and
     * the page its transcripts. Sent with {@link #COURSE_WITH_LESSONS} in one round trip, so it names the lesson by
     * its slugs (whether it is published is the first query's business).
     */
    private static final String TRANSCRIPT = """
            SELECT c.language, c.label, q.start_ms, q.text FROM caption c
            JOIN caption_cue q ON q.lesson_id = c.lesson_id AND q.language = c.language
            WHERE c.lesson_id = (SELECT l.id FROM lesson l JOIN course o ON o.id = l.course_id
                                 WHERE o.slug = ? AND l.slug = ?)
            ORDER BY c.position, q.position""";

    /**
     * A lesson page's two reads as one statement: the driver sends both before it waits, so the page waits for one
     * round trip to the database, not two (a round trip is about a tenth of a millisecond here, a tenth of a cold
     * render).
     */
    private static final String LESSON_PAGE = COURSE_WITH_LESSONS + ";\n" + TRANSCRIPT;

    private final Connection connection;

    CoursePageDao(Handle handle) {
        this.connection = handle.getConnection();
    }

    /**
     * The published course {@code slug} and its published lessons in order, the lesson {@code withNotes} (none when
     * null) with its notes and its captions' cues, and the others without ({@link Rows.Lesson#notesText()} is never
     * read here).
     */
    Optional<CourseWithLessons> courseWithLessons(String slug, String withNotes) {
        try (PreparedStatement statement = connection.prepareStatement(withNotes == null ? COURSE_WITH_LESSONS
                : LESSON_PAGE)) {
            statement.setString(1, withNotes);
            statement.setString(2, slug);
            if (withNotes != null) {
                statement.setString(3, slug);
                statement.setString(4, withNotes);
            }
            statement.execute();
            Optional<CourseWithLessons> found;
            try (ResultSet rows = statement.getResultSet()) {
                found = course(rows);
            }
            if (withNotes == null || found.isEmpty() || !statement.getMoreResults()) {
                return found;
            }
            try (ResultSet rows = statement.getResultSet()) {
                return Optional.of(new CourseWithLessons(found.get().course(), found.get().lessons(),
                        transcript(rows)));
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("reading the course " + slug + ": " + e.getMessage(), e, null);
        }
    }

    private static Optional<CourseWithLessons> course(ResultSet row) throws SQLException {
        if (!row.next()) {
            return Optional.empty();
        }
        Rows.Course course = new Rows.Course(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), row.getInt(7), instant(row, 8), instant(row, 9));
        List<Rows.Lesson> lessons = new ArrayList<>();
        do {
            long id = row.getLong(10);
            if (row.wasNull()) {
                break; // a course without published lessons
            }
            long videoId = row.getLong(16);
            Long video = row.wasNull() ? null : videoId;
            lessons.add(new Rows.Lesson(id, row.getLong(11), row.getString(12), row.getString(13), row.getInt(14),
                    row.getString(15), "", video, row.getBoolean(17), instant(row, 18), instant(row, 19)));
        } while (row.next());
        return Optional.of(new CourseWithLessons(course, List.copyOf(lessons), List.of()));
    }

    private static List<TranscriptLine> transcript(ResultSet row) throws SQLException {
        List<TranscriptLine> lines = new ArrayList<>();
        while (row.next()) {
            lines.add(new TranscriptLine(row.getString(1), row.getString(2), row.getInt(3), row.getString(4)));
        }
        return List.copyOf(lines);
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
