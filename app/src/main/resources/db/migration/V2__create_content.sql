-- The content context: courses and their ordered lessons, articles and their tags, and the old addresses of
-- renamed items. Video files belong to the media context (V3); lessons point at them.

-- Full-text search in English that ignores accents ("café" finds "cafe").
CREATE TEXT SEARCH CONFIGURATION athanor_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION athanor_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

CREATE DOMAIN slug AS text CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(VALUE) <= 120);

CREATE TABLE video (
    id               bigserial PRIMARY KEY,
    -- Where the media store keeps it: content-addressed, such as videos/3f9a...e1.mp4.
    storage_key      text        NOT NULL UNIQUE,
    content_type     text        NOT NULL,
    size_bytes       bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256           text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    duration_seconds integer     NOT NULL CHECK (duration_seconds >= 0),
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE course (
    id                   bigserial PRIMARY KEY,
    slug                 slug        NOT NULL UNIQUE,
    title                text        NOT NULL,
    summary              text        NOT NULL DEFAULT '',
    description_markdown text        NOT NULL DEFAULT '',
    -- Media store key of the cover image, such as images/77ab...90.svg.
    cover_image          text,
    position             integer     NOT NULL DEFAULT 0,
    -- NULL: a draft or an unpublished course, shown to nobody.
    published_at         timestamptz,
    -- A fingerprint of the source file (and the files it names), to tell what an import changes.
    source_hash          text        NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lesson (
    id             bigserial PRIMARY KEY,
    course_id      bigint      NOT NULL REFERENCES course (id),
    slug           slug        NOT NULL,
    title          text        NOT NULL,
    position       integer     NOT NULL,
    notes_markdown text        NOT NULL DEFAULT '',
    -- The notes as plain text, for search and snippets.
    notes_text     text        NOT NULL DEFAULT '',
    video_id       bigint      REFERENCES video (id),
    free_preview   boolean     NOT NULL DEFAULT false,
    published_at   timestamptz,
    source_hash    text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    search         tsvector GENERATED ALWAYS AS (
                       setweight(to_tsvector('athanor_english', title), 'A')
                       || setweight(to_tsvector('athanor_english', notes_text), 'B')) STORED,
    UNIQUE (course_id, slug),
    CONSTRAINT lesson_position_unique UNIQUE (course_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX lesson_search ON lesson USING gin (search);

CREATE TABLE article (
    id            bigserial PRIMARY KEY,
    slug          slug        NOT NULL UNIQUE,
    title         text        NOT NULL,
    summary       text        NOT NULL DEFAULT '',
    body_markdown text        NOT NULL DEFAULT '',
    body_text     text        NOT NULL DEFAULT '',
    published_at  timestamptz,
    source_hash   text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    search        tsvector GENERATED ALWAYS AS (
                      setweight(to_tsvector('athanor_english', title), 'A')
                      || setweight(to_tsvector('athanor_english', summary), 'B')
                      || setweight(to_tsvector('athanor_english', body_text), 'B')) STORED
);
CREATE INDEX article_search ON article USING gin (search);
CREATE INDEX article_published ON article (published_at DESC) WHERE published_at IS NOT NULL;

CREATE TABLE tag (
    id   bigserial PRIMARY KEY,
    slug slug NOT NULL UNIQUE,
    name text NOT NULL
);

CREATE TABLE article_tag (
    article_id bigint NOT NULL REFERENCES article (id) ON DELETE CASCADE,
    tag_id     bigint NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tag_by_tag ON article_tag (tag_id);

-- Old addresses of renamed items, answered with a 301 to the current one. For a lesson, old_path is
-- "course-slug/lesson-slug"; otherwise the old slug.
CREATE TABLE slug_redirect (
    kind       text        NOT NULL CHECK (kind IN ('course', 'lesson', 'article', 'tag')),
    old_path   text        NOT NULL,
    target_id  bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, old_path)
);
