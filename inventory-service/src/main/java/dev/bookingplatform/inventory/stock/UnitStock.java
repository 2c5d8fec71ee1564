package dev.bookingplatform.inventory.stock;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.bookingplatform.events.units.UnitSlot;

/**
 * Takes and gives back a booking's units, all or nothing. Every caller locks unit rows in one order,
 * (resource, unit start) ascending, so two overlapping bookings wait for each other instead of
 * deadlocking; the lock makes the capacity check exact, and the database's {@code unit_stock_within_capacity}
 * constraint refuses an oversell from any path that skips this class.
 */
@Component
public class UnitStock {

    private static final RowMapper<UnitUsage> USAGE = (rs, row) -> new UnitUsage(rs.getTimestamp("unit_start").toInstant(),
            rs.getInt("capacity"), rs.getInt("held"));

    private final JdbcClient jdbc;

    private final JdbcTemplate batch;

    UnitStock(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * Holds {@code quantity} of every unit for the booking, or nothing. Needs the caller's transaction; the
     * booking's hold row may follow in it (the reference is checked at commit).
     *
     * @return empty if the units are held, else the first unit without room
     */
    public Optional<Shortage> take(String resourceId, UUID bookingId, List<UnitSlot> units, int quantity) {
        batch.batchUpdate("""
                INSERT INTO unit_stock (resource_id, unit_start, unit_end, capacity) VALUES (?, ?, ?, 0)
                ON CONFLICT DO NOTHING""",
                units.stream().map(unit -> new Object[] { resourceId, ts(unit.start()), ts(unit.end()) }).toList());
        Map<Instant, UnitUsage> locked = jdbc.sql("""
                SELECT unit_start, capacity, held FROM unit_stock
                WHERE resource_id = :resource AND unit_start IN (:starts)
                ORDER BY unit_start FOR UPDATE""")
                .param("resource", resourceId).param("starts", units.stream().map(unit -> ts(unit.start())).toList())
                .query(USAGE).list().stream().collect(Collectors.toMap(UnitUsage::unitStart, Function.identity()));
        for (UnitSlot unit : units) {
            UnitUsage usage = locked.get(unit.start());
            if (usage == null) {
                throw new IllegalStateException("Unit " + unit.start() + " of " + resourceId + " was not created");
            }
            if (usage.capacity() - usage.held() < quantity) {
                return Optional.of(new Shortage(unit, Math.max(0, usage.capacity() - usage.held())));
            }
        }
        batch.batchUpdate("INSERT INTO hold_unit (booking_id, resource_id, unit_start, quantity) VALUES (?, ?, ?, ?)",
                units.stream().map(unit -> new Object[] { bookingId, resourceId, ts(unit.start()), quantity }).toList());
        return Optional.empty();
    }

    /** Gives back every unit the booking holds; a booking holding none is a no-op. */
    public void giveBack(UUID bookingId) {
        lockUnitsOf(List.of(bookingId));
        jdbc.sql("DELETE FROM hold_unit WHERE booking_id = ?").param(bookingId).update();
    }

    /**
     * Locks every unit these bookings hold, in the one order, before a batch gives them back: releasing
     * hold after hold would lock units out of order against a concurrent multi-unit take. Their resources
     * come first, key-share locked (which only an edit waits for): giving back a unit twice in one
     * transaction makes PostgreSQL re-check the unit's foreign key, and that check must not queue behind
     * an edit while this transaction holds units a reservation under that edit waits for.
     */
    public void lockUnitsOf(Collection<UUID> bookingIds) {
        if (bookingIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                SELECT r.id FROM resource r
                WHERE r.id IN (SELECT resource_id FROM hold_unit WHERE booking_id IN (:bookings))
                ORDER BY r.id FOR KEY SHARE""")
                .param("bookings", List.copyOf(bookingIds)).query(String.class).list();
        jdbc.sql("""
                SELECT s.unit_start FROM unit_stock s
                WHERE (s.resource_id, s.unit_start) IN (SELECT resource_id, unit_start FROM hold_unit WHERE booking_id IN (:bookings))
                ORDER BY s.resource_id, s.unit_start FOR UPDATE OF s""")
                .param("bookings", List.copyOf(bookingIds)).query(Timestamp.class).list();
    }

    /** Usage of the units of a resource that start in {@code [from, to)}; units not listed hold nothing. */
    public List<UnitUsage> usage(String resourceId, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT unit_start, capacity, held FROM unit_stock
                WHERE resource_id = ? AND unit_start >= ? AND unit_start < ? ORDER BY unit_start""")
                .params(resourceId, ts(from), ts(to)).query(USAGE).list();
    }

    /**
     * The first unit not yet over that holds more than {@code capacity}: what a capacity cut would orphan.
     * "Not yet over" is the database's {@code now()}, the instant the capacity trigger uses too.
     */
    public Optional<UnitUsage> firstUnitHeldAbove(String resourceId, int capacity) {
        return jdbc.sql("""
                SELECT unit_start, capacity, held FROM unit_stock
                WHERE resource_id = ? AND unit_end > now() AND held > ? ORDER BY unit_start LIMIT 1""")
                .params(resourceId, capacity).query(USAGE).optional();
    }

    /**
     * Locks the units of a resource not yet over, in the one order, before an edit reaches them: the
     * capacity trigger would otherwise lock them in scan order against a release locking in unit order.
     */
    public void lockFutureUnits(String resourceId) {
        jdbc.sql("SELECT unit_start FROM unit_stock WHERE resource_id = ? AND unit_end > now() ORDER BY unit_start FOR UPDATE")
                .param(resourceId).query(Timestamp.class).list();
    }

    /** Forgets the empty future units of a resource whose unit changes, so the new units start clean. */
    public void forgetEmptyFutureUnits(String resourceId) {
        jdbc.sql("DELETE FROM unit_stock WHERE resource_id = ? AND unit_end > now() AND held = 0").param(resourceId).update();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
