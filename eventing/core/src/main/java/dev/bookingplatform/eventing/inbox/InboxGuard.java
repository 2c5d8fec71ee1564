package dev.bookingplatform.eventing.inbox;

import java.util.UUID;

import javax.sql.DataSource;

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
            INSERT INTO processed_event (consumer_group, event_id) VALUES (?, ?)
            ON CONFLICT (consumer_group, event_id) DO NOTHING""";

    private final JdbcTemplate jdbc;

    public InboxGuard(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * True if this is the first delivery of {@code eventId} to {@code consumerGroup}.
     *
     * @throws IllegalStateException outside a transaction: the mark and the handler's change must commit together
     */
    public boolean firstDelivery(String consumerGroup, UUID eventId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("InboxGuard needs the handler's transaction (event " + eventId
                    + ", group " + consumerGroup + ")");
        }
        return jdbc.update(INSERT, consumerGroup, eventId) == 1;
    }
}
