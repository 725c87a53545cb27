-- The limits every node shares, so that N nodes allow what one allows (docs/scale-out.md): the attempts counted
-- per key (a client address, an account, a mail address) for sign-ins, mailed links, sign-ups and two-factor
-- codes, newest last; and each API token's bucket (requests it may still make, refilled with time).
-- UNLOGGED: written on every attempt and API call, so no WAL and no wait for a disk flush; a crash of PostgreSQL
-- forgets them (as a restart of the site did when they lived in its memory), and restored copies start empty.
CREATE UNLOGGED TABLE throttle (
    key text PRIMARY KEY,
    attempts timestamptz[] NOT NULL
);

CREATE UNLOGGED TABLE api_rate_bucket (
    token_id bigint PRIMARY KEY REFERENCES api_token (id) ON DELETE CASCADE,
    level double precision NOT NULL,
    updated_at timestamptz NOT NULL
);
