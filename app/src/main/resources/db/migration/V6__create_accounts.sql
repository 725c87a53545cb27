-- The accounts context: passwords, verification, roles and the sessions and one-time tokens that sign people in.

ALTER TABLE learner
    ADD COLUMN password_hash     text,
    ADD COLUMN email_verified_at timestamptz,
    ADD COLUMN role              text NOT NULL DEFAULT 'learner' CHECK (role IN ('learner', 'operator')),
    ADD COLUMN disabled_at       timestamptz,
    ADD COLUMN password_changed_at timestamptz;

-- Sessions live here, not in a node's memory, so any node can serve any request. The cookie carries a random id;
-- only its SHA-256 is stored, so a copy of this table signs nobody in.
CREATE TABLE session (
    id_hash      bytea       PRIMARY KEY,
    learner_id   bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    user_agent   text        NOT NULL DEFAULT '',
    address      text        NOT NULL DEFAULT ''
);
CREATE INDEX session_by_learner ON session (learner_id);

-- Single-use tokens sent by mail: verify an address, reset a password, sign in by link, confirm a new address.
-- Only the token's SHA-256 is stored.
CREATE TABLE one_time_token (
    token_hash bytea       PRIMARY KEY,
    learner_id bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('verify', 'reset', 'login', 'change-email')),
    new_email  citext,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX one_time_token_by_learner ON one_time_token (learner_id, purpose);
