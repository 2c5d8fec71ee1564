package dev.bookingplatform.eventing.deadletter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/** Ops' side of {@code dead_letter}: finding dead letters, and writing down what was done to them. */
public final class DeadLetterStore {

    private static final String COLUMNS = """
            id, consumer_group, record_key, original_topic, original_partition, original_offset, dlt_topic, dlt_partition,
            dlt_offset, event_id, event_type, booking_id, exception_class, exception_message, attempts, status, parked_behind,
            dead_lettered_at, resolved_at, resolved_by, last_replay_error, replays""";

    private final JdbcTemplate jdbc;

    public DeadLetterStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** One page, newest first. */
    public List<DeadLetter> list(DeadLetterFilter filter, int page, int size) {
        Where where = where(filter);
        List<Object> arguments = new ArrayList<>(where.arguments());
        arguments.add(size);
        arguments.add((long) page * size);
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter" + where.sql() + " ORDER BY id DESC LIMIT ? OFFSET ?",
                DeadLetterStore::deadLetter, arguments.toArray());
    }

    public long count(DeadLetterFilter filter) {
        Where where = where(filter);
        Long count = jdbc.queryForObject("SELECT count(*) FROM dead_letter" + where.sql(), Long.class, where.arguments().toArray());
        return count == null ? 0 : count;
    }

    /** Every dead letter the filter matches, oldest first: the order a bulk replay goes in. */
    public List<DeadLetter> matching(DeadLetterFilter filter, int limit) {
        Where where = where(filter);
        List<Object> arguments = new ArrayList<>(where.arguments());
        arguments.add(limit);
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter" + where.sql() + " ORDER BY id LIMIT ?",
                DeadLetterStore::deadLetter, arguments.toArray());
    }

    /** By the original record's coordinates, which every dead letter's {@code kafka_dlt-original-*} headers name. */
    public Optional<DeadLetter> find(String group, String topic, int partition, long offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter WHERE consumer_group = ? AND original_topic = ?"
                + " AND original_partition = ? AND original_offset = ?", DeadLetterStore::deadLetter, group, topic, partition, offset)
                .stream().findFirst();
    }

    public Optional<DeadLetter> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter WHERE id = ?", DeadLetterStore::deadLetter, id).stream().findFirst();
    }

    /** The record as it was consumed: its bytes and headers, for decoding and replaying. */
    public StoredRecord record(long id) {
        byte[] value = jdbc.queryForObject("SELECT record_value FROM dead_letter WHERE id = ?", byte[].class, id);
        Map<String, String> headers = new LinkedHashMap<>();
        jdbc.query("SELECT key, value FROM dead_letter, jsonb_each_text(record_headers) WHERE id = ?",
                row -> {
                    headers.put(row.getString(1), row.getString(2));
                }, id);
        return new StoredRecord(value, headers);
    }

    public List<Action> actions(long id) {
        return jdbc.query("""
                SELECT action, actor, reason, outcome, detail, acted_at FROM dead_letter_action WHERE dead_letter_id = ?
                ORDER BY id""", (row, n) -> new Action(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), instant(row.getTimestamp(6))), id);
    }

    /** Counts of dead letters by original topic and status, for statistics. */
    public Map<String, Map<String, Long>> countsByTopic() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        jdbc.query("SELECT original_topic, status, count(*) FROM dead_letter GROUP BY 1, 2 ORDER BY 1, 2", row -> {
            counts.computeIfAbsent(row.getString(1), topic -> new LinkedHashMap<>()).put(row.getString(2), row.getLong(3));
        });
        return counts;
    }

    /**
     * Keys whose earliest open dead letter is a parked one: the one ahead was resolved but the release after it was
     * cut short (a crash, a database error, its limit). Their parked records wait for nothing.
     */
    List<DeadLetter> strandedHeads(String group, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM (SELECT DISTINCT ON (record_key) * FROM dead_letter"
                + " WHERE consumer_group = ? AND resolved_at IS NULL AND record_key IS NOT NULL ORDER BY record_key, id) first"
                + " WHERE status = 'PARKED' LIMIT ?", DeadLetterStore::deadLetter, group, limit);
    }

    /** The open letter a key's records wait behind, read without a lock (a dry run's look). */
    Optional<DeadLetter> firstOpenOfKey(String group, String key) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter WHERE consumer_group = ? AND record_key = ?"
                + " AND resolved_at IS NULL ORDER BY id LIMIT 1", DeadLetterStore::deadLetter, group, key).stream().findFirst();
    }

    /** The earliest open dead letter of a key, locked: the one a drain looks at next. */
    Optional<DeadLetter> firstOpenOfKeyForUpdate(String group, String key) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter WHERE consumer_group = ? AND record_key = ?"
                + " AND resolved_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE", DeadLetterStore::deadLetter, group, key)
                .stream().findFirst();
    }

    Optional<DeadLetter> lockForUpdate(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter WHERE id = ? FOR UPDATE", DeadLetterStore::deadLetter, id)
                .stream().findFirst();
    }

    void resolve(long id, DeadLetter.Status status, String actor) {
        jdbc.update("UPDATE dead_letter SET status = ?, resolved_at = now(), resolved_by = ?, replays = replays + ?,"
                + " last_replay_error = CASE WHEN ? THEN NULL ELSE last_replay_error END WHERE id = ?", status.name(), actor,
                status == DeadLetter.Status.REPLAYED ? 1 : 0, status == DeadLetter.Status.REPLAYED, id);
    }

    /** A replay failed: the letter stays open (a parked one becomes the head, DEAD), with the new error. */
    void replayFailed(long id, Throwable failure) {
        jdbc.update("""
                UPDATE dead_letter SET status = 'DEAD', replays = replays + 1, last_replay_error = ?, exception_class = ?,
                  exception_message = ? WHERE id = ? AND resolved_at IS NULL""",
                DeadLetterIndex.truncate(failure.getClass().getName() + ": " + failure.getMessage()), failure.getClass().getName(),
                DeadLetterIndex.truncate(failure.getMessage()), id);
    }

    void act(long id, String action, String actor, String reason, String outcome, @Nullable String detail) {
        jdbc.update("INSERT INTO dead_letter_action (dead_letter_id, action, actor, reason, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)",
                id, action, actor, reason, outcome, DeadLetterIndex.truncate(detail));
    }

    private static Where where(DeadLetterFilter filter) {
        StringBuilder sql = new StringBuilder(" WHERE consumer_group = ?");
        List<Object> arguments = new ArrayList<>(List.of(filter.consumerGroup()));
        add(sql, arguments, "original_topic = ?", filter.topic());
        add(sql, arguments, "event_type = ?", filter.eventType());
        add(sql, arguments, "booking_id = ?", filter.bookingId());
        add(sql, arguments, "exception_class = ?", filter.exceptionClass());
        add(sql, arguments, "status = ?", filter.status() == null ? null : filter.status().name());
        add(sql, arguments, "dead_lettered_at >= ?", filter.from() == null ? null : Timestamp.from(filter.from()));
        add(sql, arguments, "dead_lettered_at < ?", filter.to() == null ? null : Timestamp.from(filter.to()));
        if (filter.openOnly()) {
            sql.append(" AND resolved_at IS NULL");
        }
        return new Where(sql.toString(), arguments);
    }

    private static void add(StringBuilder sql, List<Object> arguments, String condition, @Nullable Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            arguments.add(value);
        }
    }

    private static DeadLetter deadLetter(ResultSet row, int n) throws SQLException {
        return new DeadLetter(row.getLong("id"), row.getString("consumer_group"), row.getString("record_key"),
                row.getString("original_topic"), row.getInt("original_partition"), row.getLong("original_offset"),
                row.getString("dlt_topic"), (Integer) row.getObject("dlt_partition"), (Long) row.getObject("dlt_offset"),
                (UUID) row.getObject("event_id"), row.getString("event_type"), row.getString("booking_id"),
                row.getString("exception_class"), row.getString("exception_message"), row.getInt("attempts"),
                DeadLetter.Status.valueOf(row.getString("status")), (Long) row.getObject("parked_behind"),
                instant(row.getTimestamp("dead_lettered_at")), instant(row.getTimestamp("resolved_at")),
                row.getString("resolved_by"), row.getString("last_replay_error"), row.getInt("replays"));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private record Where(String sql, List<Object> arguments) {
    }

    /** A dead letter's original bytes and headers. */
    public record StoredRecord(byte @Nullable [] value, Map<String, String> headers) {
    }

    /** What someone did to a dead letter. */
    public record Action(String action, String actor, String reason, String outcome, @Nullable String detail,
            @Nullable Instant at) {
    }
}
