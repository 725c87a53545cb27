-- When a course last stopped being public (unpublished by an import, or by hand on the operator pages), so that
-- the API's `since` answers can tell sync scripts which courses went away, and when. NULL: never taken down
-- since this column exists.
ALTER TABLE course ADD COLUMN unpublished_at timestamptz;
