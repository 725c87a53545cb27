-- Saves the player's position (completion sticks once reached) and says what changed: whether this was the first
-- report (the lesson started), whether it completed the lesson now, and whether the lesson is complete.
WITH before AS (
    SELECT completed_at FROM lesson_progress WHERE learner_id = :learnerId AND lesson_id = :lessonId
), saved AS (
    INSERT INTO lesson_progress (learner_id, lesson_id, position_seconds, completed_at, updated_at)
    VALUES (:learnerId, :lessonId, :position, CASE WHEN :reachedEnd THEN now() END, now())
    ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
        position_seconds = EXCLUDED.position_seconds,
        completed_at = coalesce(lesson_progress.completed_at, EXCLUDED.completed_at),
        updated_at = now()
    RETURNING completed_at IS NOT NULL AS completed
)
SELECT NOT EXISTS (SELECT 1 FROM before) AS started,
       (SELECT completed FROM saved) AND NOT coalesce((SELECT completed_at IS NOT NULL FROM before), false)
           AS completed_now,
       (SELECT completed FROM saved) AS completed
