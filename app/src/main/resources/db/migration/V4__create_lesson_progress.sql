-- Where each learner is in each lesson, kept on the server so they resume on any device. A lesson counts as
-- complete at 90% watched or when marked by hand.
CREATE TABLE lesson_progress (
    learner_id       bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    lesson_id        bigint      NOT NULL REFERENCES lesson (id) ON DELETE CASCADE,
    position_seconds integer     NOT NULL DEFAULT 0 CHECK (position_seconds >= 0),
    completed_at     timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (learner_id, lesson_id)
);
CREATE INDEX lesson_progress_recent ON lesson_progress (learner_id, updated_at DESC);
