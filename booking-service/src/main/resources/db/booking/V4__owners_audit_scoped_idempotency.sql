-- Who owns a booking: the subject of the token that created it. A customer's token reads, lists and cancels
-- only the bookings it owns; rows from before this migration have no owner and only admin tokens see them.
ALTER TABLE booking ADD COLUMN owner_subject text;
CREATE INDEX booking_by_owner ON booking (owner_subject, created_at DESC);

-- Idempotency keys belong to a caller: one customer's "first-booking" is not another's. Expand only: the
-- subject is filled for new keys; old keys keep '' and age out with the retention purge.
ALTER TABLE idempotency_key ADD COLUMN subject text NOT NULL DEFAULT '';
ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_pkey;
ALTER TABLE idempotency_key ADD PRIMARY KEY (subject, key);
CREATE INDEX idempotency_key_by_age ON idempotency_key (created_at);

-- What bookings:admin and ops tokens changed: who, with which scopes, what, when.
CREATE TABLE audit_entry (
    id       bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz  NOT NULL DEFAULT now(),
    subject  text         NOT NULL,
    scopes   text         NOT NULL,
    action   text         NOT NULL,
    target   text         NOT NULL,
    detail   text
);
CREATE INDEX audit_entry_by_target ON audit_entry (target, at);
