package dev.bookingplatform.eventing.relay;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Operators' requests to re-publish the outbox from a sequence number ({@code relay_republish}). Filing one is
 * all an operator does; the replica leading the relay carries it out within seconds ({@link OutboxRepublisher}).
 */
public final class RepublishRequests {

    private final DataSource dataSource;

    private final JdbcTemplate jdbc;

    public RepublishRequests(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Files a request; returns its id. */
    public long file(long fromSequence, String requestedBy, String reason) {
        if (fromSequence < 1) {
            throw new IllegalArgumentException("fromSequence must be 1 or more, not " + fromSequence);
        }
        Long id = jdbc.queryForObject("INSERT INTO relay_republish (from_seq, requested_by, reason) VALUES (?, ?, ?) RETURNING id",
                Long.class, fromSequence, requestedBy, reason);
        return id == null ? -1 : id;
    }

    public List<Request> recent(int limit) {
        return jdbc.query("""
                SELECT id, from_seq, requested_by, reason, requested_at, done_at, republished, error, effective_from_seq, attempts
                FROM relay_republish ORDER BY id DESC LIMIT ?""", (row, n) -> new Request(row.getLong(1), row.getLong(2),
                row.getString(3), row.getString(4), instant(row.getTimestamp(5)), instant(row.getTimestamp(6)),
                (Long) row.getObject(7), row.getString(8), (Long) row.getObject(9), row.getInt(10)), limit);
    }

    /**
     * Where re-publishing must start so that nothing committed after the relay's last stored offset is missed: the
     * first row recorded since then, less a margin longer than any transaction.
     */
    public long suggestedFrom() {
        try (Connection connection = dataSource.getConnection()) {
            return ReplicationSlotGuard.republishFrom(connection);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not compute where to re-publish from", ex);
        }
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /**
     * @param effectiveFromSequence where it really started (never after the first row the stream may owe)
     * @param attempts tries so far; a failed one leaves {@code doneAt} empty and is tried again
     */
    public record Request(long id, long fromSequence, String requestedBy, String reason, @Nullable Instant requestedAt,
            @Nullable Instant doneAt, @Nullable Long republished, @Nullable String error, @Nullable Long effectiveFromSequence,
            int attempts) {
    }
}
