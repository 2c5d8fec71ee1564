-- Bookable resources: capacity per slot, unit price in minor units of the currency, how long a hold lasts.
-- version is the optimistic lock behind PUT /api/resources/{id} with If-Match.
CREATE TABLE resource (
    id                     text        PRIMARY KEY,
    name                   text        NOT NULL,
    capacity_per_slot      integer     NOT NULL CHECK (capacity_per_slot >= 0),
    unit_price_minor       bigint      NOT NULL CHECK (unit_price_minor >= 0),
    currency               char(3)     NOT NULL,
    hold_duration_seconds  integer     NOT NULL CHECK (hold_duration_seconds > 0),
    version                bigint      NOT NULL DEFAULT 0
);

CREATE TABLE add_on (
    resource_id       text    NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    id                text    NOT NULL,
    name              text    NOT NULL,
    unit_price_minor  bigint  NOT NULL CHECK (unit_price_minor >= 0),
    PRIMARY KEY (resource_id, id)
);

-- Units taken per slot (a slot is a resource and a start time). The conditional UPDATE that takes units
-- checks capacity under the row lock, so no interleaving can take more than there is; the CHECK is the
-- last line of defence against a release counted twice.
CREATE TABLE slot_usage (
    resource_id  text         NOT NULL REFERENCES resource (id),
    slot_start   timestamptz  NOT NULL,
    taken        integer      NOT NULL DEFAULT 0 CHECK (taken >= 0),
    PRIMARY KEY (resource_id, slot_start)
);

-- One hold per booking: HELD until the booking is confirmed (CONFIRMED) or ends (RELEASED). The prices
-- are those at reservation time and never change afterwards.
CREATE TABLE hold (
    booking_id       uuid         PRIMARY KEY,
    resource_id      text         NOT NULL REFERENCES resource (id),
    slot_start       timestamptz  NOT NULL,
    slot_end         timestamptz  NOT NULL,
    quantity         integer      NOT NULL CHECK (quantity > 0),
    status           text         NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'RELEASED')),
    total_minor      bigint       NOT NULL,
    currency         char(3)      NOT NULL,
    expires_at       timestamptz  NOT NULL,
    released_reason  text,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX hold_due_to_expire ON hold (expires_at) WHERE status = 'HELD';
