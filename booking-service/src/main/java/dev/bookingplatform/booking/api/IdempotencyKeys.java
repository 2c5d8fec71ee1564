package dev.bookingplatform.booking.api;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The first answer given to each caller's {@code Idempotency-Key}: keys are the caller's own, not global. */
@Repository
class IdempotencyKeys {

    private final JdbcClient jdbc;

    IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<FirstResponse> find(String subject, String key) {
        return jdbc.sql("""
                SELECT request_hash, booking_id, response_status, response_body FROM idempotency_key
                WHERE subject = ? AND key = ?""")
                .params(subject, key)
                .query((rs, row) -> new FirstResponse(rs.getString("request_hash"), rs.getObject("booking_id", UUID.class),
                        rs.getInt("response_status"), rs.getString("response_body")))
                .optional();
    }

    /** Throws DuplicateKeyException when a concurrent request with the same key committed first. */
    void insert(String subject, String key, FirstResponse response, Instant at) {
        jdbc.sql("""
                INSERT INTO idempotency_key (subject, key, request_hash, booking_id, response_status, response_body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(subject, key, response.requestHash(), response.bookingId(), response.status(), response.body(),
                        java.sql.Timestamp.from(at))
                .update();
    }

    /** Deletes up to {@code limit} keys first used before {@code cutoff}; returns how many. */
    int purgeBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                DELETE FROM idempotency_key WHERE ctid IN (
                    SELECT ctid FROM idempotency_key WHERE created_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)""")
                .params(java.sql.Timestamp.from(cutoff), limit).update();
    }

    record FirstResponse(String requestHash, UUID bookingId, int status, String body) {
    }
}
