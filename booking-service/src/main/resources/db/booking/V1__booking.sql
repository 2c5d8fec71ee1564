-- The booking aggregate: one row per booking, moved along the saga by booking-service only. Prices and
-- line items are copied from InventoryReserved and never recomputed.
CREATE TABLE booking (
    id                         uuid         PRIMARY KEY,
    status                     text         NOT NULL CHECK (status IN ('PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'REJECTED', 'CANCELLED')),
    customer_email             text         NOT NULL,
    customer_name              text         NOT NULL,
    customer_locale            text,
    resource_id                text         NOT NULL,
    slot_start                 timestamptz  NOT NULL,
    slot_end                   timestamptz  NOT NULL,
    quantity                   integer      NOT NULL CHECK (quantity > 0),
    add_ons                    jsonb        NOT NULL,
    line_items                 jsonb,
    total_minor                bigint,
    currency                   char(3),
    hold_expires_at            timestamptz,
    payment_session_id         text,
    checkout_url               text,
    payment_reference          text,
    cancellation_requested_at  timestamptz,
    refund_requested_at        timestamptz,
    refund_id                  text,
    reason_code                text,
    reason                     text,
    created_at                 timestamptz  NOT NULL DEFAULT now(),
    updated_at                 timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX booking_by_customer ON booking (customer_email, created_at DESC);
CREATE INDEX booking_by_status ON booking (status, created_at DESC);

-- The first answer to each Idempotency-Key: a retry with the same key and body gets it again, a retry
-- with another body gets 422. Inserted in the booking's own transaction.
CREATE TABLE idempotency_key (
    key              text         PRIMARY KEY,
    request_hash     text         NOT NULL,
    booking_id       uuid         NOT NULL REFERENCES booking (id),
    response_status  integer      NOT NULL,
    response_body    text         NOT NULL,
    created_at       timestamptz  NOT NULL DEFAULT now()
);

-- Every state change of every booking, and every change refused: the saga's audit trail.
CREATE TABLE booking_transition (
    id          bigserial    PRIMARY KEY,
    booking_id  uuid         NOT NULL REFERENCES booking (id),
    from_status text,
    to_status   text         NOT NULL,
    trigger     text         NOT NULL,
    accepted    boolean      NOT NULL,
    at          timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX booking_transition_by_booking ON booking_transition (booking_id, id);

-- The resources inventory-service announces (ResourceChanged), so a booking for a resource or add-on
-- that does not exist is refused at the API instead of failing later in the saga.
CREATE TABLE known_resource (
    id         text    PRIMARY KEY,
    name       text    NOT NULL,
    add_on_ids text[]  NOT NULL,
    version    bigint  NOT NULL
);
