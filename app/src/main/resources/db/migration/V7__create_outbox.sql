-- The mail context's outbox: a message is written in the same transaction as the change that causes it, and a
-- background worker sends it, retrying with back-off, so nothing is lost while the mail server is down.
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    recipient       text        NOT NULL,
    template        text        NOT NULL,
    subject         text        NOT NULL,
    text_body       text        NOT NULL,
    html_body       text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_error      text
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- The newsletter's contacts: explicit consent (when and where it was given, when withdrawn) and the learner's
-- lifecycle stage (subscribed, cancel-scheduled, payment-failed, lapsed), synced to the newsletter service
-- (ConvertKit) for those who consented. changed_at > synced_at (or never synced) means the service is behind.
CREATE TABLE newsletter_contact (
    learner_id   bigint      PRIMARY KEY REFERENCES learner (id) ON DELETE CASCADE,
    consented_at timestamptz,
    source       text,
    withdrawn_at timestamptz,
    lifecycle    text CHECK (lifecycle IN ('subscribed', 'cancel-scheduled', 'payment-failed', 'lapsed')),
    changed_at   timestamptz NOT NULL DEFAULT now(),
    synced_at    timestamptz,
    sync_error   text
);
CREATE INDEX newsletter_contact_behind ON newsletter_contact (changed_at) WHERE consented_at IS NOT NULL;
