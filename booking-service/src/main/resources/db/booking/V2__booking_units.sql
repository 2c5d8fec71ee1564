-- The booking rules inventory-service announces with each resource (ResourceChanged v2): zone, unit and
-- units per booking, so a range that does not cover whole units is refused at the API (issue 11).
-- NULL until a v2 announcement arrives: such a resource cannot be booked yet.
ALTER TABLE known_resource
    ADD COLUMN time_zone          text,
    ADD COLUMN unit_kind          text,
    ADD COLUMN unit_minutes       integer,
    ADD COLUMN unit_start_minute  integer,
    ADD COLUMN unit_end_minute    integer,
    ADD COLUMN min_units          integer,
    ADD COLUMN max_units          integer;
