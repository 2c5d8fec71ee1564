-- Issue 12, payment truth.

-- Session states now follow Stripe's payment_status: PROCESSING is a completed checkout whose delayed
-- payment has not settled; FAILED is a delayed payment that failed (a declined card no longer fails a
-- session: Checkout keeps it open for another card).
ALTER TABLE payment_session DROP CONSTRAINT payment_session_status_check;
ALTER TABLE payment_session ADD CONSTRAINT payment_session_status_check
    CHECK (status IN ('OPEN', 'PROCESSING', 'COMPLETED', 'FAILED', 'EXPIRED'));
UPDATE payment_session SET status = 'OPEN' WHERE status = 'FAILED';

ALTER TABLE payment_session
    ADD COLUMN declined_attempts    integer  NOT NULL DEFAULT 0,
    ADD COLUMN last_decline_reason  text,
    -- a refund's own life at Stripe: PENDING until Stripe settles it, then SUCCEEDED or FAILED
    ADD COLUMN refund_status        text     CHECK (refund_status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    ADD COLUMN refund_amount_minor  bigint,
    ADD COLUMN refund_reason        text,
    ADD COLUMN refund_failure       text,
    ADD COLUMN disputed_at          timestamptz,
    -- refunds Stripe reported failed: failed is final for a refund id, so a late "succeeded" of one is stale
    ADD COLUMN failed_refund_ids    text[]   NOT NULL DEFAULT '{}',
    -- when reconciliation last looked the session up, so lookups take turns instead of the oldest starving the rest
    ADD COLUMN last_reconciled_at   timestamptz;
UPDATE payment_session SET refund_status = 'SUCCEEDED' WHERE refund_id IS NOT NULL;

CREATE INDEX payment_session_by_intent ON payment_session (payment_intent_id);
CREATE INDEX payment_session_by_refund ON payment_session (refund_id);

-- What payment-service must ask Stripe to do, recorded in the transaction of the event that asked for it.
-- A worker pool claims due intents (SKIP LOCKED, with a lease so a crashed worker's claim runs out), calls
-- Stripe after that commit with the intent's idempotency key, and records the outcome with its event in a
-- new transaction. One booking's intents run in seq order: a later one waits while an earlier one is PENDING.
CREATE TABLE stripe_intent (
    seq              bigserial    PRIMARY KEY,
    id               uuid         NOT NULL UNIQUE,
    booking_id       uuid         NOT NULL,
    kind             text         NOT NULL CHECK (kind IN ('CREATE_SESSION', 'EXPIRE_SESSION', 'REFUND')),
    idempotency_key  text         NOT NULL,
    payload          jsonb        NOT NULL,
    status           text         NOT NULL CHECK (status IN ('PENDING', 'DONE', 'FAILED')),
    attempts         integer      NOT NULL DEFAULT 0,
    -- attempts whose outcome could not be recorded (a defect, not an outage): past a limit the intent is given up
    unrecorded       integer      NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz  NOT NULL,
    claim_token      uuid,
    claimed_until    timestamptz,
    last_error       text,
    outcome          text,
    correlation_id   text,
    causation_id     uuid,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (booking_id, idempotency_key)
);

CREATE INDEX stripe_intent_due ON stripe_intent (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX stripe_intent_by_booking ON stripe_intent (booking_id, seq) WHERE status = 'PENDING';

-- Jobs that must run on one replica at a time (reconciliation) take a lease here; a replica that dies
-- lets its lease run out and another one takes over.
CREATE TABLE job_lease (
    name         text         PRIMARY KEY,
    holder       text         NOT NULL,
    until        timestamptz  NOT NULL
);

-- How far reconciliation has read Stripe's event list (created, 1-second resolution): the next run
-- starts a little before it, so events that appeared late in the list are not skipped.
CREATE TABLE reconciliation_checkpoint (
    name            text         PRIMARY KEY,
    created_upto    bigint       NOT NULL,
    events_seen     bigint       NOT NULL DEFAULT 0,
    events_applied  bigint       NOT NULL DEFAULT 0,
    updated_at      timestamptz  NOT NULL DEFAULT now()
);
