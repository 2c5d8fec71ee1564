-- Issue 12, payment truth.
-- Each resource's cancellation policy, announced to booking-service (ResourceChanged v3), which applies it:
-- free until the cut-off before the slot, then late_refund_percent of the price (NULL: no late cancellation).
ALTER TABLE resource
    ADD COLUMN free_cancellation_cutoff_seconds  bigint   NOT NULL DEFAULT 86400
        CHECK (free_cancellation_cutoff_seconds >= 0),
    ADD COLUMN late_refund_percent               integer  CHECK (late_refund_percent BETWEEN 1 AND 100);

-- Stripe opens a Checkout Session for 30 minutes at least, and the session must not outlive the hold: a
-- shorter hold could never be paid against Stripe. Existing short holds become the new default, 40 minutes.
UPDATE resource SET hold_duration_seconds = 2400, version = version + 1 WHERE hold_duration_seconds < 2100;
