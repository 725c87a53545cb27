-- Learners, as far as the content context needs them: an id to hang progress and entitlements on. The
-- accounts context adds passwords, verification and sessions to this table.
CREATE TABLE learner (
    id         bigserial PRIMARY KEY,
    email      citext      NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Who may watch subscriber lessons, and until when. The billing context fills it (subscriptions, manual
-- grants); an entitlement is active while starts_at <= now() < ends_at (ends_at NULL: open-ended).
CREATE TABLE entitlement (
    id         bigserial PRIMARY KEY,
    learner_id bigint      NOT NULL REFERENCES learner (id),
    source     text        NOT NULL CHECK (source IN ('subscription', 'grant')),
    starts_at  timestamptz NOT NULL DEFAULT now(),
    ends_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX entitlement_by_learner ON entitlement (learner_id, ends_at);
