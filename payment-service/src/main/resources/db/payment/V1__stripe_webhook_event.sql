-- Every Stripe webhook event received, recorded once by its Stripe id.
CREATE TABLE stripe_webhook_event (
    stripe_event_id  text        PRIMARY KEY,
    type             text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'PROCESSED', 'FAILED', 'DUPLICATE')),
    attempts         integer     NOT NULL DEFAULT 0,
    last_error       text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    processed_at     timestamptz
);
