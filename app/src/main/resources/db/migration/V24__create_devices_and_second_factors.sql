-- Browsers where an account has signed in ("device" cookies). Each successful sign-in gets a random value of its
-- own; only its SHA-256 is stored. A live one lifts the per-account lockout for that account only. A password change
-- or reset, signing out everywhere and disabling the account delete them; housekeeping deletes expired ones.
CREATE TABLE device (
    token_hash bytea       PRIMARY KEY,
    learner_id bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX device_by_learner ON device (learner_id);
