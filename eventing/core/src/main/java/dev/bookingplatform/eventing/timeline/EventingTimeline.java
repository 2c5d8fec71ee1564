package dev.bookingplatform.eventing.timeline;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The steps every service has through the eventing library, from its own tables: outbox rows (what it published),
 * inbox rows (what each of its consumer groups applied, where it read it, after how many deliveries, in how long),
 * dead letters and the actions ops took on them.
 */
public final class EventingTimeline implements TimelineSource {

    /** An e-mail address, as an SMTP refusal quotes it (bare, or in angle brackets or quotes). */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\"'@?&=/:,;()]+(@|%40)[^\\s<>\"'@?&]+", Pattern.CASE_INSENSITIVE);

    /** Enough for any one booking; a resource with years of history is cut here, oldest first. */
    static final int LIMIT = 1_000;

    private final JdbcTemplate jdbc;

    public EventingTimeline(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public List<TimelineEntry> entriesOf(String aggregateId) {
        List<TimelineEntry> entries = new ArrayList<>(published(aggregateId));
        entries.addAll(consumed(aggregateId));
        entries.addAll(deadLetters(aggregateId));
        return entries;
    }

    private List<TimelineEntry> published(String aggregateId) {
        return jdbc.query("""
                SELECT seq, id, aggregate_type, event_type, correlation_id, causation_id, recorded_at
                FROM outbox_event WHERE aggregate_id = ? ORDER BY seq LIMIT ?""", (row, n) -> {
            Map<String, @Nullable Object> detail = new LinkedHashMap<>();
            detail.put("sequence", row.getLong("seq"));
            detail.put("aggregateType", row.getString("aggregate_type"));
            detail.put("correlationId", row.getString("correlation_id"));
            return new TimelineEntry(instant(row, "recorded_at"), "PUBLISHED", uuid(row, "id"), row.getString("event_type"),
                    uuid(row, "causation_id"), "wrote " + row.getString("event_type") + " to its outbox (sequence "
                            + row.getLong("seq") + ")", detail);
        }, aggregateId, LIMIT);
    }

    private List<TimelineEntry> consumed(String aggregateId) {
        return jdbc.query("""
                SELECT consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset, attempts, handled_ms, processed_at
                FROM processed_event WHERE aggregate_id = ? ORDER BY processed_at LIMIT ?""", (row, n) -> {
            Map<String, @Nullable Object> detail = new LinkedHashMap<>();
            detail.put("consumerGroup", row.getString("consumer_group"));
            detail.put("topic", row.getString("topic"));
            detail.put("partition", row.getObject("kafka_partition"));
            detail.put("offset", row.getObject("kafka_offset"));
            detail.put("attempts", row.getObject("attempts"));
            detail.put("handledMs", row.getObject("handled_ms"));
            Object attempts = row.getObject("attempts");
            String retried = attempts instanceof Integer count && count > 1 ? " after " + count + " deliveries" : "";
            return new TimelineEntry(instant(row, "processed_at"), "CONSUMED", uuid(row, "event_id"), row.getString("event_type"),
                    null, row.getString("consumer_group") + " applied " + row.getString("event_type") + " read at "
                            + row.getString("topic") + "/" + row.getObject("kafka_partition") + "/" + row.getObject("kafka_offset")
                            + retried, detail);
        }, aggregateId, LIMIT);
    }

    private List<TimelineEntry> deadLetters(String aggregateId) {
        List<TimelineEntry> entries = new ArrayList<>();
        Map<Long, UUID> eventOfLetter = new LinkedHashMap<>();
        Map<Long, String> typeOfLetter = new LinkedHashMap<>();
        jdbc.query("""
                SELECT id, consumer_group, original_topic, original_partition, original_offset, event_id, event_type,
                       exception_class, exception_message, attempts, status, parked_behind, dead_lettered_at
                FROM dead_letter WHERE booking_id = ? OR record_key = ? ORDER BY id LIMIT ?""", row -> {
            long id = row.getLong("id");
            Map<String, @Nullable Object> detail = new LinkedHashMap<>();
            detail.put("consumerGroup", row.getString("consumer_group"));
            String coordinates = row.getString("original_topic") + "/" + row.getInt("original_partition") + "/"
                    + row.getLong("original_offset");
            detail.put("deadLetter", coordinates);
            detail.put("status", row.getString("status"));
            detail.put("attempts", row.getInt("attempts"));
            detail.put("exceptionClass", row.getString("exception_class"));
            detail.put("exceptionMessage", withoutAddresses(row.getString("exception_message")));
            detail.put("parkedBehind", row.getObject("parked_behind"));
            UUID eventId = uuid(row, "event_id");
            eventOfLetter.put(id, eventId);
            typeOfLetter.put(id, row.getString("event_type"));
            String what = row.getObject("parked_behind") != null ? " parked behind an earlier dead letter of its key"
                    : " dead-lettered after " + row.getInt("attempts") + " deliveries: " + row.getString("exception_class");
            entries.add(new TimelineEntry(instant(row, "dead_lettered_at"), "DEAD_LETTERED", eventId, row.getString("event_type"),
                    null, row.getString("consumer_group") + ": " + row.getString("event_type") + " at " + coordinates + what
                            + " (now " + row.getString("status") + ")", detail));
        }, aggregateId, aggregateId, LIMIT);
        if (eventOfLetter.isEmpty()) {
            return entries;
        }
        jdbc.query("""
                SELECT dead_letter_id, action, actor, reason, outcome, detail, acted_at FROM dead_letter_action
                WHERE dead_letter_id = ANY (?) ORDER BY id""", row -> {
            long letter = row.getLong("dead_letter_id");
            Map<String, @Nullable Object> detail = new LinkedHashMap<>();
            detail.put("action", row.getString("action"));
            detail.put("actor", row.getString("actor"));
            // What ops typed and what a failed replay answered can both name the customer's address.
            detail.put("reason", withoutAddresses(row.getString("reason")));
            detail.put("outcome", row.getString("outcome"));
            detail.put("detail", withoutAddresses(row.getString("detail")));
            entries.add(new TimelineEntry(instant(row, "acted_at"), "OPS_ACTION", eventOfLetter.get(letter), typeOfLetter.get(letter),
                    null, row.getString("actor") + " " + row.getString("action") + ": " + row.getString("outcome") + " (\""
                            + withoutAddresses(row.getString("reason")) + "\")", detail));
        }, (Object) eventOfLetter.keySet().toArray(Long[]::new));
        return entries;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? Instant.EPOCH : timestamp.toInstant();
    }

    private static @Nullable UUID uuid(ResultSet row, String column) throws SQLException {
        return row.getObject(column, UUID.class);
    }

    /** An SMTP refusal often quotes the recipient; a timeline is read widely, so addresses are left out of it. */
    static @Nullable String withoutAddresses(@Nullable String message) {
        return message == null ? null : ADDRESS.matcher(message).replaceAll("<address>");
    }
}
