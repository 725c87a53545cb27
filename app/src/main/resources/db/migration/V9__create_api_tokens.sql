-- The subscriber API's tokens: for scripts (sent as Authorization: Bearer) and for the private feed (in its
-- secret URL). Only the token's SHA-256 is stored; the learner sees the token once, when it is made.
CREATE TABLE api_token (
    id           bigserial   PRIMARY KEY,
    learner_id   bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind IN ('api', 'feed')),
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    token_hash   bytea       NOT NULL UNIQUE,
    -- The token's last four characters, so the learner can tell tokens apart.
    hint         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_token_by_learner ON api_token (learner_id) WHERE revoked_at IS NULL;
