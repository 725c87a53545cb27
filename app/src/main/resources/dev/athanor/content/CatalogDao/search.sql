-- Search that costs what it shows (see CatalogDao#search for the why of each step).
WITH query AS MATERIALIZED (
    -- The query; its (not negated) words as a query that any one of them matches, to highlight them in a window; and
    -- a regular expression that finds the first place in a text where one of those words may occur: each lexeme
    -- minus its last letter (stemming rewrites word endings), at the start of a word at most six letters longer. It
    -- only says where to cut the snippet's window; ts_headline decides what matches.
    SELECT q, words.any_word, words.locator
    FROM websearch_to_tsquery('athanor_english', :query) q,
         LATERAL (SELECT string_agg('''' || replace(m[1], chr(92), chr(92) || chr(92)) || '''', ' | ')::tsquery
                             AS any_word,
                         '\m(' || string_agg(regexp_replace(left(m[1], greatest(3, length(m[1]) - 1)),
                                                            '([^[:alnum:]])', '\\\1', 'g'), '|') || ')\w{0,6}\M'
                             AS locator
                  FROM regexp_matches(q::text, '(?<!!)''([^'']+)''', 'g') m) words
),
matches AS (
    -- Every match, through the GIN indexes, ranked by the small in-row vector only. A lesson's vector holds what its
    -- captions say too, at weight C, below its title (A) and notes (B).
    SELECT 'lesson' AS kind, l.id AS lesson_id, l.free_preview, l.title, c.slug AS course_slug, l.slug,
           l.published_at, l.search || l.captions_search AS search, NULL AS summary, l.notes_text AS body,
           ts_rank(l.search_head, query.q) AS head_rank
    FROM query, lesson l JOIN course c ON c.id = l.course_id
    WHERE (l.search || l.captions_search) @@ query.q AND l.published_at <= now() AND c.published_at <= now()
    UNION ALL
    SELECT 'article', NULL, false, a.title, NULL, a.slug, a.published_at, a.search, a.summary, a.body_text,
           ts_rank(a.search_head, query.q)
    FROM query, article a
    WHERE a.search @@ query.q AND a.published_at <= now()
),
candidates AS (
    SELECT * FROM matches ORDER BY head_rank DESC, published_at DESC, title LIMIT :candidates
),
ranked AS (
    -- The full rank, as before, for the candidates only.
    SELECT candidates.*, ts_rank(candidates.search, query.q) AS rank
    FROM candidates, query
    ORDER BY rank DESC, title LIMIT :limit
)
-- Snippets for the rows shown only, each from a window of the text around the first likely match, where each query
-- word found is highlighted; when the window holds none after all (a word whose stem is not a prefix of it), from the
-- whole text, as before. OFFSET 0 keeps each step a step of its own: inlined, the text and the windowed snippet would
-- be computed once per mention.
-- A lesson's moment: the first cue of its captions that says the whole query, else the first that says one of its
-- words (through the cues' primary key, for the rows shown only), with that cue highlighted.
SELECT kind, title, course_slug, slug, rank, free_preview AS free,
       CASE WHEN strpos(windowed.snippet, '⟦') > 0 THEN windowed.snippet
            ELSE ts_headline('athanor_english', windowed.text, windowed.q,
                             'StartSel=⟦, StopSel=⟧, MaxFragments=2, MaxWords=24, MinWords=8') END AS snippet,
       moment.start_ms AS said_at_ms,
       ts_headline('athanor_english', moment.text, windowed.any_word,
                   'StartSel=⟦, StopSel=⟧, HighlightAll=true') AS said
FROM (
    SELECT kind, lesson_id, free_preview, title, course_slug, slug, rank, text, q, any_word,
           ts_headline('athanor_english',
                       substr(text, greatest(1, regexp_instr(text, locator, 1, 1, 0, 'i') - 160), 640),
                       any_word, 'StartSel=⟦, StopSel=⟧, MaxFragments=2, MaxWords=24, MinWords=8') AS snippet
    FROM (
        SELECT ranked.kind, ranked.lesson_id, ranked.free_preview, ranked.title, ranked.course_slug, ranked.slug,
               ranked.rank, query.q, query.any_word, query.locator,
               coalesce(ranked.summary || ' ', '') || ranked.body AS text
        FROM ranked, query
        OFFSET 0
    ) source
    OFFSET 0
) windowed
LEFT JOIN LATERAL (
    SELECT cue.start_ms, cue.text FROM caption_cue cue
    WHERE cue.lesson_id = windowed.lesson_id AND cue.search @@ windowed.any_word
    ORDER BY cue.search @@ windowed.q DESC, cue.start_ms, cue.language LIMIT 1
) moment ON true
ORDER BY rank DESC, title
