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

-- Holds from before units existed keep what they took: the slot they started in, as one unit.
INSERT INTO unit_stock (resource_id, unit_start, unit_end, capacity, held)
SELECT u.resource_id, u.slot_start, min(h.slot_end), r.capacity_per_unit, u.taken
FROM slot_usage u
JOIN resource r ON r.id = u.resource_id
JOIN hold h ON h.resource_id = u.resource_id AND h.slot_start = u.slot_start AND h.status IN ('HELD', 'CONFIRMED')
WHERE u.taken > 0
GROUP BY u.resource_id, u.slot_start, r.capacity_per_unit, u.taken;

INSERT INTO hold_unit (booking_id, resource_id, unit_start, quantity)
SELECT booking_id, resource_id, slot_start, quantity FROM hold WHERE status IN ('HELD', 'CONFIRMED');

DROP TABLE slot_usage;

-- A hold row's quantity moves its unit's held count, in the same statement. The UPDATE locks the unit's
-- row, so concurrent holds of one unit serialise there, and the CHECK refuses the one that would oversell.
CREATE FUNCTION hold_unit_moves_stock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE unit_stock SET held = held - OLD.quantity
        WHERE resource_id = OLD.resource_id AND unit_start = OLD.unit_start;
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
