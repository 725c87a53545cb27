-- Marks the lesson complete (keeping an earlier completion time) and says what changed, as report.sql does.
WITH before AS (
    SELECT completed_at FROM lesson_progress WHERE learner_id = :learnerId AND lesson_id = :lessonId
), saved AS (
    INSERT INTO lesson_progress (learner_id, lesson_id, position_seconds, completed_at, updated_at)
    VALUES (:learnerId, :lessonId, 0, now(), now())
    ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
        completed_at = coalesce(lesson_progress.completed_at, now()), updated_at = now()
    RETURNING 1
)
SELECT NOT EXISTS (SELECT 1 FROM before) AS started,
       NOT coalesce((SELECT completed_at IS NOT NULL FROM before), false) AS completed_now,
       (SELECT true FROM saved) AS completed
