package dev.bookingplatform.eventing.relay;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.eventing.outbox.OutboxRoutes;

/**
 * Carries out an operator's "re-publish the outbox from sequence N" ({@code relay_republish}), on the leader,
 * with its engine stopped: if the replication slot is gone it is created first (so every row committed from then
 * on is streamed) and the offsets of the lost slot are cleared; then every row from N on is published in
 * sequence order, in the relay's own transactions and term, exactly as the router would have. N is lowered to the
 * first row the stream may not have delivered when that is earlier: otherwise a later event of a booking could go
 * out, re-published, before an earlier one the stream delivers afterwards. Rows both re-published and streamed
 * arrive twice; the consumers' inbox drops the second.
 */
final class OutboxRepublisher {

    private static final Logger log = LoggerFactory.getLogger(OutboxRepublisher.class);

    private static final int ROWS_PER_TRANSACTION = 500;

    private final RelaySettings settings;

    private final ReplicationSlotGuard slotGuard;

    OutboxRepublisher(RelaySettings settings) {
        this.settings = settings;
        this.slotGuard = new ReplicationSlotGuard(settings);
    }

    /**
     * A request filed and not yet carried out, or null.
     *
     * @throws IllegalStateException if the requests cannot be read: "none" must not be assumed then, or the relay
     *         could stream past a re-publish it owes
     */
    @Nullable
    Request pending() {
        try (Connection db = RelayConnections.open(settings);
                PreparedStatement select = db.prepareStatement(
                        "SELECT id, least(from_seq, effective_from_seq) FROM relay_republish WHERE done_at IS NULL ORDER BY id LIMIT 1");
                ResultSet row = select.executeQuery()) {
            return row.next() ? new Request(row.getLong(1), row.getLong(2)) : null;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not read the re-publish requests of " + settings.database(), ex);
        }
    }

    /**
     * Carries {@code request} out as leader of {@code term}; records the outcome on the request. A failure is
     * recorded and leaves the request pending, so the relay does not stream again until it succeeded.
     *
     * @param stillLeads checked after the producer started and before each transaction
     */
    void carryOut(Request request, long term, BooleanSupplier stillLeads) {
        try (Connection db = RelayConnections.open(settings)) {
            long from = Math.min(request.fromSequence(), ReplicationSlotGuard.republishFrom(db));
            // Kept before anything else happens, so a retry starts at least as early even if this attempt dies.
            update(db, "UPDATE relay_republish SET effective_from_seq = least(effective_from_seq, ?) WHERE id = ?", from, request.id());
            try {
                boolean slotRenewed = restoreSlot(db);
                long count = publishSnapshotFrom(from, term, stillLeads);
                finish(db, request, count, slotRenewed || slotGuard.storedOffsetBehindSlot(db));
                log.warn("Re-published {} outbox events of {} from sequence {} (request {}, asked from {})", count,
                        settings.database(), from, request.id(), request.fromSequence());
            }
            catch (RuntimeException | SQLException ex) {
                update(db, "UPDATE relay_republish SET attempts = attempts + 1, error = ? WHERE id = ?", withCauses(ex), request.id());
                throw new IllegalStateException("Re-publishing " + settings.database() + " from sequence " + from
                        + " failed (request " + request.id() + ", tried again after the back-off): " + ex, ex);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not re-publish the outbox of " + settings.database(), ex);
        }
    }

    /** Creates the slot if it is missing or invalidated; true if it did. Offsets stay until the re-publish succeeded. */
    private boolean restoreSlot(Connection db) throws SQLException {
        String walStatus = null;
        boolean exists = false;
        try (PreparedStatement select = db.prepareStatement("SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?")) {
            select.setString(1, settings.slotName());
            try (ResultSet found = select.executeQuery()) {
                if (found.next()) {
                    exists = true;
                    walStatus = found.getString(1);
                }
            }
        }
        if (exists && !"lost".equals(walStatus)) {
            return false;
        }
        if (exists) {
            // Invalidated (its WAL was removed): it can stream nothing; a new one starts where it is created.
            try (PreparedStatement drop = db.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                drop.setString(1, settings.slotName());
                drop.execute();
            }
        }
        ReplicationSlotGuard.createSlot(db, settings.slotName());
        log.warn("Replication slot {} of {} recreated for re-publishing", settings.slotName(), settings.database());
        return true;
    }

    /**
     * Publishes every row from {@code fromSequence} visible in one snapshot, taken after the slot exists: each
     * booking's visible rows are then a prefix of its history in commit order, and every row committed later is in
     * the slot's stream. Reading page by page outside a snapshot could pass a row still being committed, then
     * publish that booking's next row before the stream delivers it.
     */
    private long publishSnapshotFrom(long fromSequence, long term, BooleanSupplier stillLeads) throws SQLException {
        long count = 0;
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaPublisher.producerProperties(settings),
                new ByteArraySerializer(), new ByteArraySerializer());
        try (Connection snapshot = RelayConnections.open(settings)) {
            producer.initTransactions();
            snapshot.setAutoCommit(false);
            snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            snapshot.setReadOnly(true);
            try (Statement noIdleLimit = snapshot.createStatement()) {
                // Publishing a page may take longer than the relay connections' idle-in-transaction limit.
                noIdleLimit.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
            }
            try (PreparedStatement select = snapshot.prepareStatement(SELECT_FROM)) {
                select.setFetchSize(ROWS_PER_TRANSACTION);
                select.setLong(1, fromSequence);
                try (ResultSet rows = select.executeQuery()) {
                    List<ProducerRecord<byte[], byte[]>> page = new ArrayList<>(ROWS_PER_TRANSACTION);
                    boolean more = true;
                    while (more) {
                        more = rows.next();
                        if (more) {
                            page.add(toRecord(rows, term));
                        }
                        if (page.size() == ROWS_PER_TRANSACTION || (!more && !page.isEmpty())) {
                            publish(producer, page, stillLeads);
                            count += page.size();
                            log.info("Re-published {} events of {} so far", count, settings.database());
                            page.clear();
                        }
                    }
                }
            }
            snapshot.commit();
            return count;
        }
        finally {
            // Bounded: a producer in an error state would otherwise wait out its whole delivery timeout.
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void publish(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> page,
            BooleanSupplier stillLeads) {
        if (!stillLeads.getAsBoolean()) {
            throw new RelayFencedException("Leadership of " + settings.database() + " was lost while re-publishing");
        }
        producer.beginTransaction();
        page.forEach(producer::send);
        producer.commitTransaction();
    }

    /** Done, in one transaction with clearing offsets the slot can no longer serve (so the guard lets it stream). */
    private static void finish(Connection db, Request request, long count, boolean clearOffsets) throws SQLException {
        db.setAutoCommit(false);
        try {
            if (clearOffsets) {
                try (Statement clear = db.createStatement()) {
                    clear.execute("DELETE FROM relay_offset");
                }
            }
            update(db, "UPDATE relay_republish SET attempts = attempts + 1, republished = ?, error = NULL, done_at = now()"
                    + " WHERE id = ?", count, request.id());
            db.commit();
        }
        catch (SQLException | RuntimeException ex) {
            db.rollback();
            throw ex;
        }
        finally {
            db.setAutoCommit(true);
        }
    }

    private static final String SELECT_FROM = """
            SELECT seq, id, aggregate_type, aggregate_id, event_type, payload, correlation_id, causation_id, traceparent
            FROM outbox_event WHERE seq >= ? ORDER BY seq""";

    private static ProducerRecord<byte[], byte[]> toRecord(ResultSet row, long term) throws SQLException {
        RecordHeaders headers = new RecordHeaders();
        add(headers, "eventId", row.getString(2));
        add(headers, "eventType", row.getString(5));
        add(headers, "correlationId", row.getString(7));
        add(headers, "causationId", row.getString(8));
        add(headers, "traceparent", row.getString(9));
        add(headers, KafkaPublisher.SEQUENCE_HEADER, Long.toString(row.getLong(1)));
        add(headers, KafkaPublisher.TERM_HEADER, Long.toString(term));
        return new ProducerRecord<>(OutboxRoutes.topicOf(row.getString(3)), null, null,
                row.getString(4).getBytes(StandardCharsets.UTF_8), row.getBytes(6), headers);
    }

    private static void update(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement update = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        }
    }

    private static String withCauses(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.toString());
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" (caused by ").append(cause).append(')');
        }
        return text.toString();
    }

    private static void add(RecordHeaders headers, String key, @Nullable String value) {
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    record Request(long id, long fromSequence) {
    }
}
