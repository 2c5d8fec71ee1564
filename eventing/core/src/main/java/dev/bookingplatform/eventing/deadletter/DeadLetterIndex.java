package dev.bookingplatform.eventing.deadletter;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.bookingplatform.eventing.consumer.ReceivedEvent;

/**
 * The consumer's side of {@code dead_letter}: records each dead letter once its DLT write was acknowledged,
 * and decides, before any record is applied, whether it must wait behind an open dead letter of its key.
 *
 * <p>Why park: a booking's events are a sequence. Applying {@code HoldConfirmed} while the
 * {@code PaymentSucceeded} before it sits on a dead-letter topic would run the saga on a history that never
 * happened. So, as Axon's sequenced dead-letter queue does, later records of a key with an open dead letter
 * are held back (status {@code PARKED}) and applied in their order once it is replayed or skipped.
 */
public final class DeadLetterIndex {

    /** Namespace of the per-key advisory locks (two-key form: never collides with the relay's one-key lock). */
    static final int LOCK_NAMESPACE = 15_015;

    private static final int MAX_MESSAGE_LENGTH = 2_000;

    private final JdbcTemplate jdbc;

    public DeadLetterIndex(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** What the consumer does with a record, decided in the transaction that would apply it. */
    public sealed interface Admission permits Apply, AlreadyIndexed, ParkBehind {
    }

    /** Nothing of its key is open: apply it. */
    public record Apply() implements Admission {
    }

    /** This very record is already in the index (a re-delivery after a crash): its fate is ops'. */
    public record AlreadyIndexed(long id) implements Admission {
    }

    /** An earlier record of its key is open: park this one behind it. */
    public record ParkBehind(long head) implements Admission {
    }

    /**
     * Takes the key's lock for the rest of the caller's transaction (ops' replay of the same key takes it too,
     * so a record is either parked before a replay drains the key or applied after it) and decides.
     */
    public Admission admit(String group, ConsumerRecord<?, ?> record) {
        requireTransaction();
        // The same event at the same coordinates: a topic recreated at offset 0 must not pass for a re-delivery.
        Optional<Long> indexed = jdbc.query("""
                SELECT id FROM dead_letter WHERE consumer_group = ? AND original_topic = ? AND original_partition = ?
                  AND original_offset = ? AND event_id IS NOT DISTINCT FROM ?""", (row, n) -> row.getLong(1), group,
                record.topic(), record.partition(), record.offset(), eventIdOf(record)).stream().findFirst();
        if (indexed.isPresent()) {
            return new AlreadyIndexed(indexed.get());
        }
        String key = keyOf(record);
        if (key == null) {
            return new Apply();
        }
        lockKey(group, key);
        return jdbc.query("""
                SELECT id FROM dead_letter WHERE consumer_group = ? AND record_key = ? AND resolved_at IS NULL
                ORDER BY id LIMIT 1""", (row, n) -> row.getLong(1), group, key).stream().findFirst()
                .<Admission>map(ParkBehind::new).orElseGet(Apply::new);
    }

    /** Holds {@code record} back behind {@code head}, in the caller's transaction. */
    public long park(String group, ConsumerRecord<?, ?> record, long head) {
        requireTransaction();
        Long id = jdbc.queryForObject("""
                INSERT INTO dead_letter (consumer_group, record_key, original_topic, original_partition, original_offset,
                  event_id, event_type, booking_id, record_value, record_headers, status, parked_behind, exception_message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'PARKED', ?, ?) RETURNING id""", Long.class,
                group, keyOf(record), record.topic(), record.partition(), record.offset(), eventIdOf(record),
                eventTypeOf(record), bookingIdOf(record), rawValueOf(record), headersJson(record), head,
                "Parked behind dead letter " + head + " of the same key");
        return id == null ? -1 : id;
    }

    /**
     * Records a dead letter the DLT acknowledged at {@code written}. Idempotent: the same record dead-lettered
     * again (the offset commit was lost) keeps one row, with the newest DLT coordinates.
     *
     * @return whether this is the record's first dead letter (a repeat is not counted again)
     */
    public boolean recordDeadLetter(String group, ConsumerRecord<?, ?> record, Throwable failure, int attempts,
            RecordMetadata written) {
        // xmax is 0 on a row this statement inserted, set on one it updated.
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                INSERT INTO dead_letter (consumer_group, record_key, original_topic, original_partition, original_offset,
                  dlt_topic, dlt_partition, dlt_offset, event_id, event_type, booking_id, exception_class, exception_message,
                  attempts, record_value, record_headers, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'DEAD')
                ON CONFLICT (consumer_group, original_topic, original_partition, original_offset) DO UPDATE
                  SET dlt_topic = excluded.dlt_topic, dlt_partition = excluded.dlt_partition, dlt_offset = excluded.dlt_offset,
                      attempts = excluded.attempts
                RETURNING (xmax = 0)""", Boolean.class,
                group, keyOf(record), record.topic(), record.partition(), record.offset(), written.topic(),
                written.partition(), written.offset(), eventIdOf(record), eventTypeOf(record), bookingIdOf(record),
                failure.getClass().getName(), truncate(failure.getMessage()), attempts, rawValueOf(record, failure),
                headersJson(record)));
    }

    void lockKey(String group, String key) {
        jdbc.queryForList("SELECT pg_advisory_xact_lock(?, hashtext(?))", LOCK_NAMESPACE, group + "/" + key);
    }

    static @Nullable String truncate(@Nullable String message) {
        return message == null || message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }

    static @Nullable String keyOf(ConsumerRecord<?, ?> record) {
        Object key = record.key();
        if (key instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return key == null ? null : key.toString();
    }

    private static byte @Nullable [] rawValueOf(ConsumerRecord<?, ?> record) {
        return rawValueOf(record, null);
    }

    /** The bytes as they came; for a record that could not be decoded, the ones spring-kafka kept in its exception. */
    private static byte @Nullable [] rawValueOf(ConsumerRecord<?, ?> record, @Nullable Throwable failure) {
        Object value = record.value();
        if (value instanceof ReceivedEvent received) {
            return received.raw();
        }
        if (value instanceof byte[] raw) {
            return raw;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.springframework.kafka.support.serializer.DeserializationException undecodable) {
                return undecodable.getData();
            }
        }
        return null;
    }

    private static @Nullable UUID eventIdOf(ConsumerRecord<?, ?> record) {
        String header = header(record, "eventId");
        try {
            return header == null ? null : UUID.fromString(header);
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static @Nullable String eventTypeOf(ConsumerRecord<?, ?> record) {
        if (record.value() instanceof ReceivedEvent received) {
            return received.event().getSchema().getName();
        }
        return header(record, "eventType");
    }

    /** The event's {@code bookingId} where it has one (every saga event does), else the record's key. */
    private static @Nullable String bookingIdOf(ConsumerRecord<?, ?> record) {
        if (record.value() instanceof ReceivedEvent received) {
            IndexedRecord event = received.event();
            Schema.Field field = event.getSchema().getField("bookingId");
            if (field != null && event.get(field.pos()) != null) {
                return event.get(field.pos()).toString();
            }
        }
        return keyOf(record);
    }

    private static @Nullable String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The record's headers as a JSON object, built by PostgreSQL (no JSON library needed here). */
    private String headersJson(ConsumerRecord<?, ?> record) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Header header : record.headers()) {
            String text = header.value() == null ? null : textOf(header.value());
            // Binary headers (spring-kafka's serialized deserialization exception, for one) are no text and no use
            // to a replay; PostgreSQL would refuse their bytes in a text value and fail the dead letter for good.
            if (text != null && !header.key().startsWith("kafka_dlt-") && !header.key().startsWith("springDeserializerException")) {
                names.add(header.key());
                values.add(text);
            }
        }
        return jdbc.execute((ConnectionCallback<String>) connection -> json(connection, names, values));
    }

    private static @Nullable String textOf(byte[] value) {
        for (byte b : value) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(value)).toString();
        }
        catch (java.nio.charset.CharacterCodingException ex) {
            return null;
        }
    }

    private static String json(Connection connection, List<String> names, List<String> values) throws java.sql.SQLException {
        Array keys = connection.createArrayOf("text", names.toArray());
        Array texts = connection.createArrayOf("text", values.toArray());
        try (var statement = connection.prepareStatement("SELECT jsonb_object(?::text[], ?::text[])::text")) {
            statement.setArray(1, keys);
            statement.setArray(2, texts);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("The dead-letter index's admission needs the handler's transaction");
        }
    }
}
