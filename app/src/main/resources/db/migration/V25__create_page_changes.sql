-- Every content change announced to the page caches (PageCacheInvalidation): the page-cache keys it touched and the
-- transaction that made it. A node whose LISTEN connection broke reads the changes committed while it was not
-- listening, and drops exactly those pages, instead of its whole cache. Housekeeping removes rows after a day.
CREATE TABLE page_changes
(
  id          BIGSERIAL   PRIMARY KEY,
  -- the keys, comma-separated (course:intro,articles), as in the NOTIFY payload
  keys        TEXT        NOT NULL,
  -- the announcing transaction, so a listener can tell which changes committed after its snapshot
  xid         XID8        NOT NULL DEFAULT pg_current_xact_id(),
  changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX page_changes_changed_at ON page_changes (changed_at);
