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

-- Second factors at sign-in. One row per factor, kind-specific columns nullable, so another kind (WebAuthn: a
-- credential id, a public key, a sign count) can join with columns of its own without touching these rows. A TOTP
-- row is unconfirmed (confirmed_at NULL) until the learner types its first code at enrolment; only confirmed
-- factors ask for a code at sign-in.
CREATE TABLE second_factor (
    id             bigserial   PRIMARY KEY,
    learner_id     bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    kind           text        NOT NULL CHECK (kind IN ('totp')),
    label          text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    confirmed_at   timestamptz,
    last_used_at   timestamptz,
    -- TOTP: the shared secret, sealed with AES-GCM under a key derived from the accounts secret, and the last time
    -- step a code was accepted for (codes for that step or an earlier one are refused, so each code works once).
    totp_secret    bytea,
    totp_last_step bigint,
    CHECK (kind <> 'totp' OR totp_secret IS NOT NULL)
);
CREATE UNIQUE INDEX second_factor_one_totp ON second_factor (learner_id) WHERE kind = 'totp';

-- One-time recovery codes (120 random bits each); only their SHA-256 is stored.
CREATE TABLE recovery_code (
    code_hash  bytea       PRIMARY KEY,
    learner_id bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz
);
CREATE INDEX recovery_code_by_learner ON recovery_code (learner_id);

-- Sign-ins that passed the password (or a mailed link) and wait for the second factor: a random token in a short-
-- lived cookie, only its SHA-256 stored, good for five minutes.
CREATE TABLE pending_sign_in (
    token_hash bytea       PRIMARY KEY,
    learner_id bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX pending_sign_in_by_learner ON pending_sign_in (learner_id);
