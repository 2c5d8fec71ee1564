package dev.bookingplatform.booking.api;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The first answer given to each {@code Idempotency-Key}. */
@Repository
class IdempotencyKeys {

    private final JdbcClient jdbc;

    IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<FirstResponse> find(String key) {
        return jdbc.sql("SELECT request_hash, booking_id, response_status, response_body FROM idempotency_key WHERE key = ?")
                .param(key)
                .query((rs, row) -> new FirstResponse(rs.getString("request_hash"), rs.getObject("booking_id", UUID.class),
                        rs.getInt("response_status"), rs.getString("response_body")))
                .optional();
    }

    /** Throws DuplicateKeyException when a concurrent request with the same key committed first. */
    void insert(String key, FirstResponse response) {
        jdbc.sql("INSERT INTO idempotency_key (key, request_hash, booking_id, response_status, response_body) VALUES (?, ?, ?, ?, ?)")
                .params(key, response.requestHash(), response.bookingId(), response.status(), response.body()).update();
    }

    record FirstResponse(String requestHash, UUID bookingId, int status, String body) {
    }
}
