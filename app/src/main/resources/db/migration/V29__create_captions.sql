-- Captions: a lesson's WebVTT files, one per language, as the content folder names them beside the video. The site
-- serves each file itself (with the video's own access check), shows its cues as the lesson's transcript, and search
-- finds what was said. Files are small (a ten-minute lesson has about 15 KB of captions), so they live here rather
-- than in the media store, and an import replaces them in its one transaction.
CREATE TABLE caption (
    lesson_id  bigint      NOT NULL REFERENCES lesson (id) ON DELETE CASCADE,
    -- A BCP 47 language tag in its canonical form (en, pt-BR): the track's srclang.
    language   text        NOT NULL CHECK (language ~ '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$'),
    label      text        NOT NULL,
    -- The order the lesson file lists them in; the first is the transcript shown first.
    position   integer     NOT NULL,
    -- The file as it was imported (UTF-8, LF line ends, no byte order mark): what the site serves.
    vtt        text        NOT NULL,
    sha256     text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (lesson_id, language)
);

-- Each cue of a caption file: its moment and its text without markup, for the transcript and for the moment a search
-- hit links to (the first cue that says what was searched).
CREATE TABLE caption_cue (
    lesson_id bigint  NOT NULL,
    language  text    NOT NULL,
    position  integer NOT NULL,
    start_ms  integer NOT NULL CHECK (start_ms >= 0),
    end_ms    integer NOT NULL CHECK (end_ms > start_ms),
    text      text    NOT NULL,
    search    tsvector GENERATED ALWAYS AS (to_tsvector('athanor_english', text)) STORED,
    PRIMARY KEY (lesson_id, language, position),
    FOREIGN KEY (lesson_id, language) REFERENCES caption (lesson_id, language) ON DELETE CASCADE
);

-- What was said, as one text per lesson (every language's cues), searched with the lesson and ranked below its title
-- (A) and notes (B): weight C. Search matches on search || captions_search, which this index serves; the release
-- before this one keeps searching l.search alone, which stays as it was.
-- Expand only: a column with a default and a stored generated column; the generated one rewrites the table once, which
-- takes milliseconds at the sizes a content catalogue has (as V26).
ALTER TABLE lesson ADD COLUMN captions_text text NOT NULL DEFAULT '';
ALTER TABLE lesson ADD COLUMN captions_search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('athanor_english', captions_text), 'C')) STORED;
CREATE INDEX lesson_search_with_captions ON lesson USING gin ((search || captions_search));
