-- Capacity by booking unit (issue 11). A resource says how it is booked: a unit (MINUTES of a fixed length
-- aligned after local midnight, a NIGHT from check-in to check-out, a DAY from opening to closing) in
-- its IANA zone, and the least and most units per booking. A booking holds every unit its range covers.
ALTER TABLE resource RENAME COLUMN capacity_per_slot TO capacity_per_unit;
ALTER TABLE resource
    ADD COLUMN time_zone          text     NOT NULL DEFAULT 'UTC',
    ADD COLUMN unit_kind          text     NOT NULL DEFAULT 'MINUTES' CHECK (unit_kind IN ('MINUTES', 'NIGHT', 'DAY')),
    ADD COLUMN unit_minutes       integer  NOT NULL DEFAULT 60,
    ADD COLUMN unit_start_minute  integer  NOT NULL DEFAULT 0 CHECK (unit_start_minute BETWEEN 0 AND 1439),
    ADD COLUMN unit_end_minute    integer  NOT NULL DEFAULT 0 CHECK (unit_end_minute BETWEEN 0 AND 1439),
    ADD COLUMN min_units          integer  NOT NULL DEFAULT 1 CHECK (min_units >= 1),
    ADD COLUMN max_units          integer  NOT NULL DEFAULT 24,
    ADD CONSTRAINT resource_units_per_booking CHECK (max_units >= min_units),
    -- The version last announced in a ResourceChanged; NULL for resources announced before booking
    -- rules were part of the event, which are announced again on start.
    ADD COLUMN announced_version  bigint;

-- An add-on is priced once per booking (a late check-out) or once per unit (breakfast every night).
ALTER TABLE add_on ADD COLUMN pricing text NOT NULL DEFAULT 'PER_BOOKING' CHECK (pricing IN ('PER_BOOKING', 'PER_UNIT'));

-- The stock of one unit of a resource: its capacity (the resource's, kept in step by a trigger) and how
-- much live holds take of it. The constraint is the invariant itself: no statement, from any code path,
-- can leave a unit holding more than its capacity.
CREATE TABLE unit_stock (
    resource_id  text         NOT NULL REFERENCES resource (id),
    unit_start   timestamptz  NOT NULL,
    unit_end     timestamptz  NOT NULL,
    capacity     integer      NOT NULL,
    held         integer      NOT NULL DEFAULT 0,
    PRIMARY KEY (resource_id, unit_start),
    CONSTRAINT unit_stock_within_capacity CHECK (held <= capacity),
    CONSTRAINT unit_stock_held_not_negative CHECK (held >= 0),
    CONSTRAINT unit_stock_ends_after_start CHECK (unit_end > unit_start)
);

-- What each live hold takes of each unit it covers; the rows exist while the hold is HELD or CONFIRMED.
-- unit_stock.held is the sum of these rows, maintained by the trigger below and by nothing else.
CREATE TABLE hold_unit (
    booking_id   uuid         NOT NULL REFERENCES hold (booking_id) DEFERRABLE INITIALLY DEFERRED,
    resource_id  text         NOT NULL,
    unit_start   timestamptz  NOT NULL,
    quantity     integer      NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (booking_id, unit_start),
    FOREIGN KEY (resource_id, unit_start) REFERENCES unit_stock (resource_id, unit_start)
);

CREATE INDEX hold_unit_by_unit ON hold_unit (resource_id, unit_start);

-- Holds from before units existed keep every hour their range touches: the old code accepted any range,
-- and a resource created before units is booked by the hour in UTC. Counters are recomputed from the
-- holds, not copied. A unit the old code already oversold (overlapping ranges, a capacity cut) keeps a
-- capacity of what it holds, so the migration cannot fail on history; it shrinks back to the resource's
-- capacity as those holds are released (see hold_unit_moves_stock) and admits nothing new meanwhile.
CREATE TEMPORARY TABLE migrated_hold_unit ON COMMIT DROP AS
SELECT h.booking_id, h.resource_id, u.unit_start, h.quantity
FROM hold h
CROSS JOIN LATERAL generate_series(date_trunc('hour', h.slot_start, 'UTC'), h.slot_end - interval '1 microsecond',
                                   interval '1 hour') AS u (unit_start)
WHERE h.status IN ('HELD', 'CONFIRMED');

INSERT INTO unit_stock (resource_id, unit_start, unit_end, capacity, held)
SELECT m.resource_id, m.unit_start, m.unit_start + interval '1 hour', greatest(r.capacity_per_unit, sum(m.quantity)),
       sum(m.quantity)
FROM migrated_hold_unit m
JOIN resource r ON r.id = m.resource_id
GROUP BY m.resource_id, m.unit_start, r.capacity_per_unit;

INSERT INTO hold_unit (booking_id, resource_id, unit_start, quantity)
SELECT booking_id, resource_id, unit_start, quantity FROM migrated_hold_unit;

DO $$
DECLARE
    oversold integer;
BEGIN
    SELECT count(*) INTO oversold FROM unit_stock s JOIN resource r ON r.id = s.resource_id WHERE s.held > r.capacity_per_unit;
    IF oversold > 0 THEN
        RAISE WARNING '% units were held beyond capacity before units existed; they take no new bookings until enough holds end', oversold;
    END IF;
END $$;

DROP TABLE slot_usage;

-- A hold row's quantity moves its unit's held count, in the same statement. The UPDATE locks the unit's
-- row, so concurrent holds of one unit serialise there, and the CHECK refuses the one that would oversell.
CREATE FUNCTION hold_unit_moves_stock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- A capacity above the resource's (a unit oversold before this migration) shrinks back with each release.
        UPDATE unit_stock s SET held = s.held - OLD.quantity,
               capacity = CASE WHEN s.capacity > r.capacity_per_unit
                               THEN greatest(r.capacity_per_unit, s.held - OLD.quantity) ELSE s.capacity END
        FROM resource r
        WHERE r.id = s.resource_id AND s.resource_id = OLD.resource_id AND s.unit_start = OLD.unit_start;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE unit_stock SET held = held + NEW.quantity
        WHERE resource_id = NEW.resource_id AND unit_start = NEW.unit_start;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER hold_unit_moves_stock AFTER INSERT OR UPDATE OR DELETE ON hold_unit
    FOR EACH ROW EXECUTE FUNCTION hold_unit_moves_stock();

-- unit_stock is derived data: a new unit starts empty at its resource's capacity (read under a share lock,
-- so a concurrent capacity edit either waits for this transaction or is seen by it), and held and
-- capacity change only through the triggers on hold_unit and resource (trigger depth > 1). A hand-written
-- UPDATE of a counter is refused, whether it would oversell or only hide what is held.
CREATE FUNCTION unit_stock_is_derived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.held <> 0 THEN
            RAISE EXCEPTION 'unit_stock for % at % must start with nothing held; insert hold_unit rows instead',
                NEW.resource_id, NEW.unit_start USING ERRCODE = 'check_violation';
        END IF;
        SELECT capacity_per_unit INTO NEW.capacity FROM resource WHERE id = NEW.resource_id FOR SHARE;
        RETURN NEW;
    END IF;
    IF pg_trigger_depth() = 1 AND (NEW.resource_id, NEW.unit_start, NEW.unit_end, NEW.capacity, NEW.held)
            IS DISTINCT FROM (OLD.resource_id, OLD.unit_start, OLD.unit_end, OLD.capacity, OLD.held) THEN
        RAISE EXCEPTION 'unit_stock for % at % is kept by hold_unit and resource; change those instead',
            OLD.resource_id, OLD.unit_start USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER unit_stock_is_derived BEFORE INSERT OR UPDATE ON unit_stock
    FOR EACH ROW EXECUTE FUNCTION unit_stock_is_derived();

-- A capacity edit reaches every unit not yet over; lowering it below what a unit holds violates
-- unit_stock_within_capacity, so the edit fails instead of orphaning holds.
CREATE FUNCTION resource_capacity_reaches_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_stock SET capacity = NEW.capacity_per_unit WHERE resource_id = NEW.id AND unit_end > now();
    RETURN NULL;
END $$;

CREATE TRIGGER resource_capacity_reaches_units AFTER UPDATE OF capacity_per_unit ON resource
    FOR EACH ROW WHEN (OLD.capacity_per_unit IS DISTINCT FROM NEW.capacity_per_unit)
    EXECUTE FUNCTION resource_capacity_reaches_units();

-- Units of one resource never overlap, so a hand-made unit row cannot open a second door into an hour
-- (10:30-11:30 beside a full 10:00 and 11:00).
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE unit_stock ADD CONSTRAINT unit_stock_units_do_not_overlap
    EXCLUDE USING gist (resource_id WITH =, tstzrange(unit_start, unit_end) WITH &&);

-- A live hold holds every unit of its range, at its own quantity; a released one holds none. Checked at
-- commit (the hold and its units are written in either order in one transaction), so a raw INSERT of a
-- hold without its units, or a DELETE or lowered quantity of one of its units, is refused. The units a
-- range covers are counted from the resource's unit kind: contiguous for MINUTES, one per local date for
-- nights and days.
CREATE FUNCTION check_hold_holds_its_units(booking uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    h          hold%ROWTYPE;
    r          resource%ROWTYPE;
    units      integer;
    mismatched integer;
    first      timestamptz;
    last       timestamptz;
    covered    interval;
    dates      integer;
BEGIN
    SELECT * INTO h FROM hold WHERE booking_id = booking;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT count(*), count(*) FILTER (WHERE u.quantity <> h.quantity OR u.resource_id <> h.resource_id),
           min(s.unit_start), max(s.unit_end), sum(s.unit_end - s.unit_start)
    INTO units, mismatched, first, last, covered
    FROM hold_unit u JOIN unit_stock s ON s.resource_id = u.resource_id AND s.unit_start = u.unit_start
    WHERE u.booking_id = h.booking_id;
    IF h.status = 'RELEASED' THEN
        IF units > 0 THEN
            RAISE EXCEPTION 'released hold % still holds % units', h.booking_id, units
                USING ERRCODE = 'check_violation', CONSTRAINT = 'hold_holds_its_units';
        END IF;
        RETURN;
    END IF;
    SELECT * INTO r FROM resource WHERE id = h.resource_id;
    dates := (h.slot_end AT TIME ZONE r.time_zone)::date - (h.slot_start AT TIME ZONE r.time_zone)::date
             + CASE WHEN r.unit_kind = 'DAY' AND r.unit_end_minute > r.unit_start_minute THEN 1 ELSE 0 END;
    IF units = 0 OR mismatched > 0 OR first > h.slot_start OR last < h.slot_end
            OR (r.unit_kind = 'MINUTES' AND covered <> last - first)
            OR (r.unit_kind <> 'MINUTES' AND units < dates) THEN
        RAISE EXCEPTION 'hold % of % does not hold every unit from % to % at quantity %', h.booking_id, h.resource_id,
            h.slot_start, h.slot_end, h.quantity USING ERRCODE = 'check_violation', CONSTRAINT = 'hold_holds_its_units';
    END IF;
END $$;

CREATE FUNCTION hold_holds_its_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM check_hold_holds_its_units(OLD.booking_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM check_hold_holds_its_units(NEW.booking_id);
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER hold_holds_its_units AFTER INSERT OR UPDATE ON hold
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hold_holds_its_units();

-- Every change of a hold row, including one that moves it to another booking, re-checks the holds on both sides.
CREATE CONSTRAINT TRIGGER hold_unit_stays_with_its_hold AFTER INSERT OR UPDATE OR DELETE ON hold_unit
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hold_holds_its_units();

-- Row triggers do not see TRUNCATE, which would wipe the counters or the rows behind them.
CREATE FUNCTION units_are_not_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% holds capacity and cannot be truncated; release holds instead', TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER hold_unit_is_not_truncated BEFORE TRUNCATE ON hold_unit
    FOR EACH STATEMENT EXECUTE FUNCTION units_are_not_truncated();
CREATE TRIGGER unit_stock_is_not_truncated BEFORE TRUNCATE ON unit_stock
    FOR EACH STATEMENT EXECUTE FUNCTION units_are_not_truncated();
CREATE TRIGGER hold_is_not_truncated BEFORE TRUNCATE ON hold
    FOR EACH STATEMENT EXECUTE FUNCTION units_are_not_truncated();
