-- Extensions the schema builds on. Both are "trusted" since PostgreSQL 13, so the database owner may create them on
-- a managed server without superuser rights.
-- citext: case-insensitive text, for email addresses.
CREATE EXTENSION IF NOT EXISTS citext;
-- unaccent: accent-insensitive full-text search ("café" finds "cafe").
CREATE EXTENSION IF NOT EXISTS unaccent;
