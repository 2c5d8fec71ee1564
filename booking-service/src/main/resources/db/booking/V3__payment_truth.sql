-- Issue 12, payment truth. The saga's states are the table in BookingSaga's SagaTable; the database
-- knows them too, so nothing writes a state the saga does not have.
ALTER TABLE booking DROP CONSTRAINT booking_status_check;
ALTER TABLE booking ADD CONSTRAINT booking_status_check CHECK (status IN ('PENDING', 'AWAITING_PAYMENT', 'CONFIRMING',
    'CONFIRMED', 'REJECTED', 'EXPIRED', 'CANCELLATION_REQUESTED', 'CANCELLED', 'REFUND_FAILED'));

ALTER TABLE booking
    -- when the booking entered its current state: the saga's deadlines count from here
    ADD COLUMN status_changed_at      timestamptz,
    -- declined cards: the session stays open, the booking waits; the customer sees how often and why
    ADD COLUMN declined_attempts      integer      NOT NULL DEFAULT 0,
    ADD COLUMN last_decline_reason    text,
    -- checkout completed with a delayed method (payment_status unpaid): waiting for the async outcome
    ADD COLUMN payment_processing_at  timestamptz,
    ADD COLUMN refund_amount_minor    bigint,
    ADD COLUMN refund_attempt         integer      NOT NULL DEFAULT 0,
    ADD COLUMN refund_failed_at       timestamptz,
    ADD COLUMN refund_failure         text,
    ADD COLUMN disputed_at            timestamptz,
    ADD COLUMN dispute_reason         text,
    -- a saga step past its deadline that only ops can settle (CONFIRMING, CANCELLATION_REQUESTED)
    ADD COLUMN flagged_at             timestamptz,
    ADD COLUMN flag_reason            text;

-- The cancellation terms of the resource when the booking was made: what the customer agreed to, kept even if
-- the resource's policy changes later. NULL for bookings made before: the resource's current terms apply.
ALTER TABLE booking
    ADD COLUMN cancellation_free_cutoff_seconds  bigint,
    ADD COLUMN cancellation_late_refund_percent  integer;

UPDATE booking SET status_changed_at = updated_at;
ALTER TABLE booking ALTER COLUMN status_changed_at SET NOT NULL, ALTER COLUMN status_changed_at SET DEFAULT now();

-- The deadline job's scan: bookings of one state, oldest first.
CREATE INDEX booking_by_status_age ON booking (status, status_changed_at);

-- The cancellation policy inventory-service announces (ResourceChanged v3). NULL: announced before v3,
-- booking-service then applies its configured default policy.
ALTER TABLE known_resource
    ADD COLUMN free_cancellation_cutoff_seconds  bigint,
    ADD COLUMN late_refund_percent               integer;
