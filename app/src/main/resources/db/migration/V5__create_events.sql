-- What happened, in our own tables (events context), written in batches off the request path.

-- Page views, counted per day and path: one row per page a day, however many views.
CREATE TABLE page_view_daily (
    day   date   NOT NULL,
    path  text   NOT NULL,
    views bigint NOT NULL CHECK (views >= 0),
    PRIMARY KEY (day, path)
);

-- Lesson starts and completions, video deliveries and downloads: one row each.
CREATE TABLE event (
    id          bigserial PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('lesson_start', 'lesson_complete', 'video_delivery',
                                                     'download')),
    occurred_at timestamptz NOT NULL,
    learner_id  bigint,
    lesson_id   bigint,
    bytes       bigint
);
CREATE INDEX event_by_kind_and_time ON event (kind, occurred_at);
