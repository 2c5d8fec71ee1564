-- The booking aggregate: one row per booking, moved along the saga by booking-service only.
CREATE TABLE booking (
    id          uuid        PRIMARY KEY,
    status      text        NOT NULL CHECK (status IN ('PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'REJECTED', 'CANCELLED')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
