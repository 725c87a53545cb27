package dev.athanor.content;

import dev.athanor.content.Pages.LessonItem;
import dev.athanor.events.Events;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Where learners are in their lessons, kept on the server so they resume on any device. The player reports its
 * position every few seconds; a lesson counts as complete at 90% watched or when marked by hand (completion sticks:
 * watching again does not undo it).
 */
final class Progress {

    static final double COMPLETE_AT = 0.9;

    /** A learner's state in one lesson. */
    record State(long lessonId, int positionSeconds, boolean completed) {
    }

    private final Jdbi jdbi;
    private final Events events;

    Progress(Jdbi jdbi, Events events) {
        this.jdbi = jdbi;
        this.events = events;
    }

    /** The learner's state in every lesson of a course they have touched, by lesson id. */
    Map<Long, State> of(long learnerId, long courseId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT p.lesson_id, p.position_seconds, p.completed_at IS NOT NULL
                FROM lesson_progress p JOIN lesson l ON l.id = p.lesson_id
                WHERE p.learner_id = :learner AND l.course_id = :course""")
                .bind("learner", learnerId).bind("course", courseId)
                .map((rs, ctx) -> new State(rs.getLong(1), rs.getInt(2), rs.getBoolean(3)))
                .list()).stream().collect(Collectors.toMap(State::lessonId, state -> state));
    }

    /** The learner's state in one lesson (position 0 when never started). */
    State inLesson(long learnerId, long lessonId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT lesson_id, position_seconds, completed_at IS NOT NULL FROM lesson_progress
                WHERE learner_id = :learner AND lesson_id = :lesson""")
                .bind("learner", learnerId).bind("lesson", lessonId)
                .map((rs, ctx) -> new State(rs.getLong(1), rs.getInt(2), rs.getBoolean(3)))
                .findOne().orElse(new State(lessonId, 0, false)));
    }

    /**
     * Records that the learner's player stands at {@code positionSeconds} of a lesson lasting
     * {@code durationSeconds}; the first report counts as starting the lesson, reaching 90% as completing it.
     */
    State report(long learnerId, long lessonId, int positionSeconds, int durationSeconds) {
        int position = Math.max(0, durationSeconds > 0 ? Math.min(positionSeconds, durationSeconds) : positionSeconds);
        boolean reachedEnd = durationSeconds > 0 && position >= COMPLETE_AT * durationSeconds;
        Change change = jdbi.inTransaction(handle -> handle.createQuery("""
                WITH before AS (
                    SELECT completed_at FROM lesson_progress WHERE learner_id = :learner AND lesson_id = :lesson
                ), saved AS (
                    INSERT INTO lesson_progress (learner_id, lesson_id, position_seconds, completed_at, updated_at)
                    VALUES (:learner, :lesson, :position, CASE WHEN :reachedEnd THEN now() END, now())
                    ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
                        position_seconds = EXCLUDED.position_seconds,
                        completed_at = coalesce(lesson_progress.completed_at, EXCLUDED.completed_at),
                        updated_at = now()
                    RETURNING completed_at IS NOT NULL AS completed
                )
                SELECT NOT EXISTS (SELECT 1 FROM before) AS started,
                       (SELECT completed FROM saved) AND NOT coalesce((SELECT completed_at IS NOT NULL FROM before),
                                                                      false) AS completed_now,
                       (SELECT completed FROM saved) AS completed""")
                .bind("learner", learnerId).bind("lesson", lessonId).bind("position", position)
                .bind("reachedEnd", reachedEnd)
                .map((rs, ctx) -> new Change(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3)))
                .one());
        announce(learnerId, lessonId, change);
        return new State(lessonId, position, change.completed());
    }

    /** Marks a lesson complete by hand. */
    void complete(long learnerId, long lessonId) {
        Change change = jdbi.inTransaction(handle -> handle.createQuery("""
                WITH before AS (
                    SELECT completed_at FROM lesson_progress WHERE learner_id = :learner AND lesson_id = :lesson
                ), saved AS (
                    INSERT INTO lesson_progress (learner_id, lesson_id, position_seconds, completed_at, updated_at)
                    VALUES (:learner, :lesson, 0, now(), now())
                    ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
                        completed_at = coalesce(lesson_progress.completed_at, now()), updated_at = now()
                    RETURNING 1
                )
                SELECT NOT EXISTS (SELECT 1 FROM before),
                       NOT coalesce((SELECT completed_at IS NOT NULL FROM before), false), (SELECT true FROM saved)""")
                .bind("learner", learnerId).bind("lesson", lessonId)
                .map((rs, ctx) -> new Change(rs.getBoolean(1), rs.getBoolean(2), true))
                .one());
        announce(learnerId, lessonId, change);
    }

    /**
     * Where to continue a course: the first lesson started and not completed, else the first lesson after the last
     * completed one; nothing when the learner has not started or has finished.
     */
    Optional<LessonItem> continueWith(List<LessonItem> lessons) {
        int lastCompleted = -1;
        for (int i = 0; i < lessons.size(); i++) {
            LessonItem lesson = lessons.get(i);
            if (lesson.started() && !lesson.completed()) {
                return Optional.of(lesson);
            }
            if (lesson.completed()) {
                lastCompleted = i;
            }
        }
        return lastCompleted >= 0 && lastCompleted + 1 < lessons.size()
                ? Optional.of(lessons.get(lastCompleted + 1)) : Optional.empty();
    }

    private void announce(long learnerId, long lessonId, Change change) {
        if (change.started()) {
            events.lessonStarted(learnerId, lessonId);
        }
        if (change.completedNow()) {
            events.lessonCompleted(learnerId, lessonId);
        }
    }

    private record Change(boolean started, boolean completedNow, boolean completed) {
    }
}
