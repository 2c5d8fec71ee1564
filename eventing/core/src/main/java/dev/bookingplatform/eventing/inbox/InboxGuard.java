package dev.bookingplatform.eventing.inbox;

import java.util.UUID;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes a handler effectively-once: inside the handler's own transaction, records (consumer group, event
 * id) in {@code processed_event}. The first delivery inserts the row and goes on; a duplicate finds it
 * and skips. Two concurrent deliveries serialize on the primary key: the second waits for the first to
 * commit (then skips) or roll back (then runs).
 */
public final class InboxGuard {

    private static final String INSERT = """
            INSERT INTO processed_event (consumer_group, event_id, event_type, aggregate_id, topic, kafka_partition,
                                         kafka_offset, attempts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (consumer_group, event_id) DO NOTHING""";

    private static final String HANDLED = "UPDATE processed_event SET handled_ms = ? WHERE consumer_group = ? AND event_id = ?";

    private final JdbcTemplate jdbc;

    public InboxGuard(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Where and how an event was read, kept with its inbox row for the booking's timeline. */
    public record Delivery(@Nullable String eventType, @Nullable String aggregateId, @Nullable String topic,
            @Nullable Integer partition, @Nullable Long offset, @Nullable Integer attempt) {

        public static Delivery unknown() {
            return new Delivery(null, null, null, null, null, null);
        }
    }

    /** {@link #firstDelivery(String, UUID, Delivery)} without the delivery's details. */
    public boolean firstDelivery(String consumerGroup, UUID eventId) {
        return firstDelivery(consumerGroup, eventId, Delivery.unknown());
    }

    /**
     * True if this is the first delivery of {@code eventId} to {@code consumerGroup}.
     *
     * @throws IllegalStateException outside a transaction: the mark and the handler's change must commit together
     */
    public boolean firstDelivery(String consumerGroup, UUID eventId, Delivery delivery) {
        requireTransaction(consumerGroup, eventId);
        return jdbc.update(INSERT, consumerGroup, eventId, delivery.eventType(), delivery.aggregateId(), delivery.topic(),
                delivery.partition(), delivery.offset(), delivery.attempt()) == 1;
    }

    /** The handler's time, written in its transaction so it commits (or rolls back) with the change. */
    public void handled(String consumerGroup, UUID eventId, double millis) {
        requireTransaction(consumerGroup, eventId);
        jdbc.update(HANDLED, millis, consumerGroup, eventId);
    }

    private static void requireTransaction(String consumerGroup, UUID eventId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("InboxGuard needs the handler's transaction (event " + eventId
                    + ", group " + consumerGroup + ")");
        }
    }
}
