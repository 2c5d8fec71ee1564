-- One Checkout Session per booking, with what Stripe told us about it. status is ours: OPEN until the
-- customer paid (COMPLETED), the card was declined (FAILED) or the session ended unpaid (EXPIRED).
CREATE TABLE payment_session (
    booking_id         uuid         PRIMARY KEY,
    session_id         text         NOT NULL UNIQUE,
    status             text         NOT NULL CHECK (status IN ('OPEN', 'COMPLETED', 'FAILED', 'EXPIRED')),
    amount_minor       bigint       NOT NULL,
    currency           char(3)      NOT NULL,
    customer_email     text         NOT NULL,
    customer_name      text,
    checkout_url       text         NOT NULL,
    expires_at         timestamptz  NOT NULL,
    payment_intent_id  text,
    refund_id          text,
    refunded_at        timestamptz,
    created_at         timestamptz  NOT NULL DEFAULT now(),
    updated_at         timestamptz  NOT NULL DEFAULT now()
);

-- Every Stripe webhook event received, recorded once by its Stripe id. status is the outcome of its
-- processing; deliveries counts how often Stripe sent it (every delivery after the first that finds it
-- PROCESSED or IGNORED is answered DUPLICATE and changes nothing else).
CREATE TABLE stripe_webhook_event (
    stripe_event_id  text         PRIMARY KEY,
    type             text         NOT NULL,
    status           text         NOT NULL CHECK (status IN ('PENDING', 'PROCESSED', 'IGNORED', 'FAILED', 'DUPLICATE')),
    attempts         integer      NOT NULL DEFAULT 0,
    deliveries       integer      NOT NULL DEFAULT 1,
    last_error       text,
    booking_id       uuid,
    received_at      timestamptz  NOT NULL DEFAULT now(),
    processed_at     timestamptz
);
