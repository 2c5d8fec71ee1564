package dev.bookingplatform.eventing.relay;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    OutboxRepublisher(RelaySettings settings) {
        this.settings = settings;
    }

    /** A request filed and not yet carried out, or null. */
    @Nullable
    Request pending() {
        try (Connection db = RelayConnections.open(settings);
                PreparedStatement select = db.prepareStatement(
                        "SELECT id, least(from_seq, effective_from_seq) FROM relay_republish WHERE done_at IS NULL ORDER BY id LIMIT 1");
                ResultSet row = select.executeQuery()) {
            return row.next() ? new Request(row.getLong(1), row.getLong(2)) : null;
        }
        catch (SQLException ex) {
            log.warn("Could not read re-publish requests of {}: {}", settings.database(), ex.getMessage());
            return null;
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
            try {
                restoreSlot(db);
                long count = publishFrom(db, from, term, stillLeads);
                record(db, request, from, count, null);
                log.warn("Re-published {} outbox events of {} from sequence {} (request {}, asked from {})", count,
                        settings.database(), from, request.id(), request.fromSequence());
            }
            catch (RuntimeException | SQLException ex) {
                record(db, request, from, null, withCauses(ex));
                throw new IllegalStateException("Re-publishing " + settings.database() + " from sequence " + from
                        + " failed (request " + request.id() + ", tried again after the back-off): " + ex, ex);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not re-publish the outbox of " + settings.database(), ex);
        }
    }

    private void restoreSlot(Connection db) throws SQLException {
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
            return;
        }
        if (exists) {
            // Invalidated (its WAL was removed): it can stream nothing; a new one starts where it is created.
            try (PreparedStatement drop = db.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                drop.setString(1, settings.slotName());
                drop.execute();
            }
        }
        try (PreparedStatement create = db.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')");
                PreparedStatement clear = db.prepareStatement("DELETE FROM relay_offset")) {
            create.setString(1, settings.slotName());
            create.execute();
            // The stored position belonged to the lost slot; the new one starts where it was created.
            clear.execute();
        }
        log.warn("Replication slot {} of {} recreated for re-publishing", settings.slotName(), settings.database());
    }

    private long publishFrom(Connection db, long fromSequence, long term, BooleanSupplier stillLeads) throws SQLException {
        long count = 0;
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaPublisher.producerProperties(settings),
                new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            long next = fromSequence;
            while (true) {
                List<ProducerRecord<byte[], byte[]>> rows = read(db, next, term);
                if (rows.isEmpty()) {
                    return count;
                }
                if (!stillLeads.getAsBoolean()) {
                    throw new RelayFencedException("Leadership of " + settings.database() + " was lost while re-publishing");
                }
                producer.beginTransaction();
                rows.forEach(producer::send);
                producer.commitTransaction();
                count += rows.size();
                next = Long.parseLong(header(rows.get(rows.size() - 1), KafkaPublisher.SEQUENCE_HEADER)) + 1;
                log.info("Re-published {} events of {} so far (up to sequence {})", count, settings.database(), next - 1);
            }
        }
        finally {
            // Bounded: a producer in an error state would otherwise wait out its whole delivery timeout.
            producer.close(Duration.ofSeconds(5));
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> read(Connection db, long fromSequence, long term) throws SQLException {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (PreparedStatement select = db.prepareStatement("""
                SELECT seq, id, aggregate_type, aggregate_id, event_type, payload, correlation_id, causation_id, traceparent
                FROM outbox_event WHERE seq >= ? ORDER BY seq LIMIT ?""")) {
            select.setLong(1, fromSequence);
            select.setInt(2, ROWS_PER_TRANSACTION);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    RecordHeaders headers = new RecordHeaders();
                    add(headers, "eventId", row.getString(2));
                    add(headers, "eventType", row.getString(5));
                    add(headers, "correlationId", row.getString(7));
                    add(headers, "causationId", row.getString(8));
                    add(headers, "traceparent", row.getString(9));
                    add(headers, KafkaPublisher.SEQUENCE_HEADER, Long.toString(row.getLong(1)));
                    add(headers, KafkaPublisher.TERM_HEADER, Long.toString(term));
                    records.add(new ProducerRecord<>(OutboxRoutes.topicOf(row.getString(3)), null, null,
                            row.getString(4).getBytes(StandardCharsets.UTF_8), row.getBytes(6), headers));
                }
            }
        }
        return records;
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

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static void record(Connection db, Request request, long from, @Nullable Long count, @Nullable String error) {
        try (PreparedStatement done = db.prepareStatement("""
                UPDATE relay_republish SET attempts = attempts + 1, effective_from_seq = ?, republished = ?, error = ?,
                       done_at = CASE WHEN ? THEN now() END
                WHERE id = ?""")) {
            done.setLong(1, from);
            done.setObject(2, count);
            done.setString(3, error);
            done.setBoolean(4, error == null);
            done.setLong(5, request.id());
            done.executeUpdate();
        }
        catch (SQLException ex) {
            log.error("Could not record the outcome of re-publish request {}", request.id(), ex);
        }
    }

    record Request(long id, long fromSequence) {
    }
}
