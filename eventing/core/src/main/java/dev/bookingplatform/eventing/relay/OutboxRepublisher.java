package dev.bookingplatform.eventing.relay;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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
 * sequence order, in the relay's own transactions and term, exactly as the router would have. Rows both
 * re-published and streamed arrive twice; the consumers' inbox drops the second.
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
                        "SELECT id, from_seq FROM relay_republish WHERE done_at IS NULL ORDER BY id LIMIT 1");
                ResultSet row = select.executeQuery()) {
            return row.next() ? new Request(row.getLong(1), row.getLong(2)) : null;
        }
        catch (SQLException ex) {
            log.warn("Could not read re-publish requests of {}: {}", settings.database(), ex.getMessage());
            return null;
        }
    }

    /** Carries {@code request} out as leader of {@code term}; records the outcome on the request. */
    void carryOut(Request request, long term) {
        try (Connection db = RelayConnections.open(settings)) {
            try {
                restoreSlot(db);
                long count = publishFrom(db, request.fromSequence(), term);
                record(db, request, count, null);
                log.warn("Re-published {} outbox events of {} from sequence {} (request {})", count, settings.database(),
                        request.fromSequence(), request.id());
            }
            catch (RuntimeException | SQLException ex) {
                record(db, request, null, ex.toString());
                throw new IllegalStateException("Re-publishing " + settings.database() + " from sequence "
                        + request.fromSequence() + " failed: " + ex, ex);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not re-publish the outbox of " + settings.database(), ex);
        }
    }

    private void restoreSlot(Connection db) throws SQLException {
        try (PreparedStatement exists = db.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            exists.setString(1, settings.slotName());
            try (ResultSet found = exists.executeQuery()) {
                if (found.next()) {
                    return;
                }
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

    private long publishFrom(Connection db, long fromSequence, long term) throws SQLException {
        long count = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaPublisher.producerProperties(settings),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            long next = fromSequence;
            while (true) {
                List<ProducerRecord<byte[], byte[]>> rows = read(db, next, term);
                if (rows.isEmpty()) {
                    return count;
                }
                producer.beginTransaction();
                rows.forEach(producer::send);
                producer.commitTransaction();
                count += rows.size();
                next = Long.parseLong(header(rows.get(rows.size() - 1), KafkaPublisher.SEQUENCE_HEADER)) + 1;
                log.info("Re-published {} events of {} so far (up to sequence {})", count, settings.database(), next - 1);
            }
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

    private static void add(RecordHeaders headers, String key, @Nullable String value) {
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static void record(Connection db, Request request, @Nullable Long count, @Nullable String error) {
        try (PreparedStatement done = db.prepareStatement(
                "UPDATE relay_republish SET done_at = now(), republished = ?, error = ? WHERE id = ?")) {
            done.setObject(1, count);
            done.setString(2, error);
            done.setLong(3, request.id());
            done.executeUpdate();
        }
        catch (SQLException ex) {
            log.error("Could not record the outcome of re-publish request {}", request.id(), ex);
        }
    }

    record Request(long id, long fromSequence) {
    }
}
