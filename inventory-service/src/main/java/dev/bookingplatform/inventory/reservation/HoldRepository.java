package dev.bookingplatform.inventory.reservation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Holds in inventory-service's database. Status changes are conditional, so a repeated change is a no-op. */
@Repository
class HoldRepository {

    private static final RowMapper<Hold> HOLD = (rs, row) -> new Hold(rs.getObject("booking_id", UUID.class),
            rs.getString("resource_id"), rs.getTimestamp("slot_start").toInstant(), rs.getTimestamp("slot_end").toInstant(),
            rs.getInt("quantity"),
            Hold.Status.valueOf(rs.getString("status")));

    private final JdbcClient jdbc;

    HoldRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Hold> find(UUID bookingId) {
        return jdbc.sql("SELECT * FROM hold WHERE booking_id = ?").param(bookingId).query(HOLD).optional();
    }

    void insert(UUID bookingId, String resourceId, Instant slotStart, Instant slotEnd, int quantity, long totalMinor,
            String currency, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO hold (booking_id, resource_id, slot_start, slot_end, quantity, status, total_minor, currency, expires_at)
                VALUES (?, ?, ?, ?, ?, 'HELD', ?, ?, ?)""")
                .params(bookingId, resourceId, Timestamp.from(slotStart), Timestamp.from(slotEnd), quantity, totalMinor,
                        currency, Timestamp.from(expiresAt))
                .update();
    }

    /** HELD -> CONFIRMED; true if this call made the change. */
    boolean confirm(UUID bookingId) {
        return jdbc.sql("UPDATE hold SET status = 'CONFIRMED', updated_at = now() WHERE booking_id = ? AND status = 'HELD'")
                .param(bookingId).update() == 1;
    }

    /** RELEASED -> CONFIRMED, after the capacity was taken again. */
    void reconfirm(UUID bookingId) {
        jdbc.sql("UPDATE hold SET status = 'CONFIRMED', released_reason = NULL, updated_at = now() WHERE booking_id = ?")
                .param(bookingId).update();
    }

    /** HELD or CONFIRMED -> RELEASED; the released hold if this call made the change. */
    Optional<Hold> release(UUID bookingId, String reason) {
        return jdbc.sql("""
                UPDATE hold SET status = 'RELEASED', released_reason = ?, updated_at = now()
                WHERE booking_id = ? AND status IN ('HELD', 'CONFIRMED')
                RETURNING *""").params(reason, bookingId).query(HOLD).optional();
    }

    /**
     * Holds past their expiry, locked for this transaction. SKIP LOCKED lets several replicas run the job
     * at once, each taking different holds, none waiting for the others.
     */
    List<UUID> lockExpired(Instant now, int limit) {
        return jdbc.sql("""
                SELECT booking_id FROM hold WHERE status = 'HELD' AND expires_at <= ?
                ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(Timestamp.from(now), limit).query(UUID.class).list();
    }
}
