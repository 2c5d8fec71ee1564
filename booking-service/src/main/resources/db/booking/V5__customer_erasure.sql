-- Issue 15: erasures on request, recorded without the address they erased (its SHA-256, to answer "was this
-- address erased?" without keeping it).
CREATE TABLE customer_erasure (
    id             uuid         PRIMARY KEY,
    email_sha256   text         NOT NULL,
    requested_by   text         NOT NULL,
    reason         text         NOT NULL,
    bookings       integer      NOT NULL,
    requested_at   timestamptz  NOT NULL DEFAULT now()
);
