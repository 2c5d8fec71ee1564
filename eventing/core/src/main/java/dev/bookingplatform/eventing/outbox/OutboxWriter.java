package dev.bookingplatform.eventing.outbox;

import java.sql.Timestamp;
import java.sql.Types;

import javax.sql.DataSource;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.bookingplatform.eventing.tracing.TraceContext;
import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.EventType;
import dev.bookingplatform.events.serde.AvroEventSerializer;

/**
 * Appends an event to the outbox inside the caller's database transaction, so the event is published if
 * and only if the state change commits. It never talks to Kafka: the relay does, from the WAL.
 */
public final class OutboxWriter {

    private static final String INSERT = """
            INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, correlation_id,
                                      causation_id, traceparent, occurred_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final DataSource dataSource;

    private final JdbcTemplate jdbc;

    /**
     * Kafka's default limit is 1 MiB for a whole record (key, headers and value); the value may take all but a
     * margin for the rest.
     */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1_000_000;

    private final AvroEventSerializer serializer;

    private final int maxEventBytes;

    public OutboxWriter(DataSource dataSource, AvroEventSerializer serializer) {
        this(dataSource, serializer, DEFAULT_MAX_EVENT_BYTES);
    }

    /** @param maxEventBytes the largest serialized event the topics accept (their {@code max.message.bytes} less a margin) */
    public OutboxWriter(DataSource dataSource, AvroEventSerializer serializer, int maxEventBytes) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.serializer = serializer;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Appends {@code event} for the aggregate {@code aggregateId} (the Kafka key).
     *
     * @throws IllegalStateException if no transaction on this writer's data source is active
     * @throws EventTooLargeException if the serialized event is larger than the topics accept
     */
    public void append(String aggregateId, SpecificRecord event) {
        EventType type = EventType.of(event);
        EventMetadata metadata = EventType.metadataOf(event);
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.hasResource(dataSource)) {
            throw new IllegalStateException("OutboxWriter.append(" + type.typeName() + " " + metadata.getEventId()
                    + ") needs an active transaction on the service's data source: an event written outside the"
                    + " transaction of its state change could be published for a change that never commits");
        }
        byte[] payload = serializer.serialize(type.topic(), event);
        if (payload.length > maxEventBytes) {
            throw new EventTooLargeException(type.typeName(), metadata.getEventId(), payload.length, maxEventBytes);
        }
        jdbc.update(INSERT, ps -> {
            ps.setObject(1, metadata.getEventId());
            ps.setString(2, OutboxRoutes.aggregateTypeOf(type.topic()));
            ps.setString(3, aggregateId);
            ps.setString(4, type.typeName());
            ps.setBytes(5, payload);
            ps.setString(6, metadata.getCorrelationId());
            if (metadata.getCausationId() != null) {
                ps.setObject(7, metadata.getCausationId());
            }
            else {
                ps.setNull(7, Types.OTHER);
            }
            ps.setString(8, TraceContext.currentTraceparent());
            ps.setTimestamp(9, Timestamp.from(metadata.getOccurredAt()));
        });
    }
}
