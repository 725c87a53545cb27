-- The billing context: Stripe customers and subscriptions as last read from Stripe, the ledger of Stripe events
-- applied, the idempotency keys of calls to Stripe, and the audit of manual grants (which are entitlement rows).

CREATE TABLE customer (
    learner_id         bigint      PRIMARY KEY REFERENCES learner (id) ON DELETE CASCADE,
    stripe_customer_id text        NOT NULL UNIQUE,
    created_at         timestamptz NOT NULL DEFAULT now()
);

-- A subscription's state is Stripe's current object (re-read for every event), never the order events arrived in.
CREATE TABLE subscription (
    stripe_subscription_id text        PRIMARY KEY,
    learner_id             bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    stripe_customer_id     text        NOT NULL,
    status                 text        NOT NULL,
    plan                   text,
    price_id               text,
    tier                   text,
    country                text,
    current_period_end     timestamptz,
    cancel_at_period_end   boolean     NOT NULL DEFAULT false,
    canceled_at            timestamptz,
    past_due_since         timestamptz,
    created_at             timestamptz NOT NULL DEFAULT now(),
    synced_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscription_by_learner ON subscription (learner_id);

-- Every Stripe event applied, written in the transaction of its effect: a second delivery finds its id here.
CREATE TABLE stripe_event (
    id          text        PRIMARY KEY,
    type        text        NOT NULL,
    created     timestamptz NOT NULL,
    source      text        NOT NULL CHECK (source IN ('webhook', 'reconcile', 'return')),
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- An idempotency key is stored (and committed) before the call that uses it, so a retry after a timeout sends the
-- same key and Stripe answers with the object it already made.
CREATE TABLE stripe_request (
    idempotency_key text        PRIMARY KEY,
    purpose         text        NOT NULL,
    learner_id      bigint      REFERENCES learner (id) ON DELETE CASCADE,
    fingerprint     text        NOT NULL,
    object_id       text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stripe_request_reuse ON stripe_request (learner_id, purpose, fingerprint, created_at);

-- Manual grants (payments outside Stripe, gifts) are entitlement rows with source 'grant'; each change is audited.
ALTER TABLE entitlement ADD COLUMN note text NOT NULL DEFAULT '';
CREATE TABLE grant_audit (
    id         bigserial   PRIMARY KEY,
    learner_id bigint      NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    action     text        NOT NULL CHECK (action IN ('grant', 'revoke')),
    until      timestamptz,
    note       text        NOT NULL DEFAULT '',
    actor      text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
