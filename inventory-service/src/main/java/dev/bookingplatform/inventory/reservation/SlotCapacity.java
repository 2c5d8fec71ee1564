package dev.bookingplatform.inventory.reservation;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Takes and gives back units of a slot. Taking is one conditional UPDATE: PostgreSQL locks the slot row
 * and re-checks {@code taken + n <= capacity} against the latest committed value after any wait, so
 * concurrent reservations serialise on the row and the slot can never be oversold.
 */
@Component
class SlotCapacity {

    private final JdbcClient jdbc;

    SlotCapacity(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean take(String resourceId, Instant slotStart, int units) {
        jdbc.sql("INSERT INTO slot_usage (resource_id, slot_start, taken) VALUES (?, ?, 0) ON CONFLICT DO NOTHING")
                .params(resourceId, Timestamp.from(slotStart)).update();
        return jdbc.sql("""
                UPDATE slot_usage u SET taken = u.taken + :units
                FROM resource r
                WHERE r.id = u.resource_id AND u.resource_id = :resource AND u.slot_start = :start
                  AND u.taken + :units <= r.capacity_per_slot""")
                .param("units", units).param("resource", resourceId).param("start", Timestamp.from(slotStart))
                .update() == 1;
    }

    void giveBack(String resourceId, Instant slotStart, int units) {
        jdbc.sql("UPDATE slot_usage SET taken = taken - ? WHERE resource_id = ? AND slot_start = ?")
                .params(units, resourceId, Timestamp.from(slotStart)).update();
    }
}
