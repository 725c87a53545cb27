-- A small vector of what an item is mainly about (its title, and an article's summary), beside the full one, so that
-- search can rank thousands of matches without reading every full vector: a full vector of a long article is stored
-- out of line (TOAST), and reading 1,000 of them costs about 6 ms, while these stay in the row. Search orders the
-- matches by this cheap rank first, then ranks the best few hundred with the full vector (see CatalogDao/search.sql).
-- Expand only: adding a stored generated column rewrites the table once, which takes milliseconds at the sizes a
-- content catalogue has.
ALTER TABLE lesson ADD COLUMN search_head tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('athanor_english', title), 'A')) STORED;
ALTER TABLE article ADD COLUMN search_head tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('athanor_english', title), 'A')
    || setweight(to_tsvector('athanor_english', summary), 'B')) STORED;
