-- Bookable resources with their capacity per slot and unit price (minor units of currency).
CREATE TABLE resource (
    id                 text    PRIMARY KEY,
    name               text    NOT NULL,
    capacity_per_slot  integer NOT NULL CHECK (capacity_per_slot >= 0),
    unit_price_minor   bigint  NOT NULL CHECK (unit_price_minor >= 0),
    currency           char(3) NOT NULL,
    version            bigint  NOT NULL DEFAULT 0
);
