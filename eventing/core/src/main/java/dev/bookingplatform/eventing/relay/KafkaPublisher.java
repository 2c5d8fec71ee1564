package dev.bookingplatform.eventing.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;

import dev.bookingplatform.eventing.metrics.EventingMeters;

/**
 * Publishes each batch the engine hands over in one Kafka transaction and marks it processed only after the
 * transaction committed, so stored offsets never run ahead of what the broker has.
 *
 * <p>The transactional id is fixed per database: when a new leader's publisher starts, the broker fences every
 * older producer with that id, so a zombie leader's batch in flight can never commit, and consumers
 * ({@code read_committed}) never see it. A record Kafka refuses (too large, say) aborts the whole batch: no later
 * event of its key goes out first; the relay stops, naming the row.
 */
final class KafkaPublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>, AutoCloseable {

    /** Header carrying the leader term that published a record, so tests and operators can tell leaders apart. */
    static final String TERM_HEADER = "relayTerm";

    /** Header with the outbox row's sequence number: where to re-publish from. */
    static final String SEQUENCE_HEADER = "outboxSeq";

    /**
     * The row's insert time, for the relay-lag meter only: read here and not published, so the records' headers stay
     * what the contract says.
     */
    static final String RECORDED_AT_HEADER = "recordedAt";

    /** The router also writes the event id as "id"; we carry it once, as eventId. */
    private static final String ROUTER_ID_HEADER = "id";

    private static final String EVENT_ID_HEADER = "eventId";

    private static final Duration MAX_BLOCK_MARGIN = Duration.ofSeconds(10);

    private final KafkaProducer<byte[], byte[]> producer;

    private final AtomicLong published;

    private final byte[] term;

    private volatile @Nullable Instant batchStartedAt;

    private final EventingMeters meters;

    private final String database;

    KafkaPublisher(RelaySettings settings, long term, AtomicLong published, EventingMeters meters) {
        this.published = published;
        this.meters = meters;
        this.database = settings.database();
        this.term = Long.toString(term).getBytes(StandardCharsets.UTF_8);
        this.producer = new KafkaProducer<>(producerProperties(settings), new ByteArraySerializer(), new ByteArraySerializer());
        try {
            // Fences every older producer of this database's relay: from here on, a zombie's commit fails.
            producer.initTransactions();
        }
        catch (RuntimeException ex) {
            producer.close(Duration.ZERO);
            throw ex;
        }
    }

    static Map<String, Object> producerProperties(RelaySettings settings) {
        Map<String, Object> props = new HashMap<>(settings.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // Idempotence needs retries; an application's spring.kafka.producer.retries=0 must not stop the relay.
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        // A broker outage of minutes must not fail the batch: wait, then deliver in order. Past the transaction
        // timeout the broker aborts it; the relay restarts from the stored offset and publishes the batch again.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(10 * 60 * 1000));
        // initTransactions() has no batch the relay's watch could see waiting: this bound is what makes a leader that
        // never reaches Kafka give up the lock. The margin lets the watch step down first while a batch waits.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock(settings.stepDownAfter()).toMillis()));
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(5 * 60 * 1000));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, settings.engineName());
        return props;
    }

    /** How long a producer call may block: the step-down wait and a margin for the watch that checks it. */
    static Duration maxBlock(Duration stepDownAfter) {
        return stepDownAfter.plus(MAX_BLOCK_MARGIN);
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> batch,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        batchStartedAt = Instant.now();
        AtomicReference<@Nullable RefusedRecord> refused = new AtomicReference<>();
        int sent = 0;
        long commitStarted = 0;
        long commitEnded = 0;
        List<Recorded> recorded = new ArrayList<>(batch.size());
        try {
            producer.beginTransaction();
            for (RecordChangeEvent<SourceRecord> change : batch) {
                SourceRecord record = change.record();
                if (isOutboxEvent(record)) {
                    ProducerRecord<byte[], byte[]> outgoing = toProducerRecord(record);
                    recorded.add(new Recorded(record.topic(), recordedAt(record)));
                    producer.send(outgoing, (metadata, error) -> {
                        if (error != null) {
                            // Keep the first refusal that will never pass: a transient error elsewhere must not hide it.
                            RefusedRecord candidate = RefusedRecord.of(outgoing, error);
                            refused.accumulateAndGet(candidate, (first, next) -> first == null
                                    || (!first.isPermanent() && next.isPermanent()) ? next : first);
                        }
                    });
                    sent++;
                }
            }
            commitStarted = System.nanoTime();
            producer.commitTransaction();
            commitEnded = System.nanoTime();
        }
        catch (ProducerFencedException | InvalidProducerEpochException ex) {
            throw new RelayFencedException("A newer relay leader fenced this one; its batch is not committed", ex);
        }
        catch (KafkaException ex) {
            abortQuietly();
            RefusedRecord record = refused.get();
            if (record != null && record.isPermanent()) {
                throw new UnpublishableEventException(record.describe(), ex);
            }
            throw new IllegalStateException("Kafka did not commit the outbox batch; it is not marked processed and"
                    + " will be published again: " + ex, ex);
        }
        finally {
            batchStartedAt = null;
        }
        published.addAndGet(sent);
        if (sent > 0) {
            // A batch of heartbeats only is an empty transaction: nothing reaches the broker, nothing to time.
            meters.batchCommitted(database, Duration.ofNanos(commitEnded - commitStarted));
        }
        Instant committed = Instant.now();
        for (Recorded row : recorded) {
            if (row.at() != null) {
                meters.relayed(database, row.topic(), Duration.between(row.at(), committed));
            }
        }
        for (RecordChangeEvent<SourceRecord> change : batch) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
    }

    /** When the batch now being published was handed over; null between batches. A long-past time means a stall. */
    @Nullable
    Instant batchStartedAt() {
        return batchStartedAt;
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        }
        catch (KafkaException | IllegalStateException ignored) {
            // The producer is closed with the engine; a new one starts the next attempt clean. Kafka refuses an abort
            // with IllegalStateException after a commit that timed out, or on a producer abandon() closed: the cause
            // that matters is the one being reported, not this.
        }
    }

    private static boolean isOutboxEvent(SourceRecord record) {
        return record.value() != null && !record.topic().startsWith(RelayEngineProperties.HEARTBEAT_TOPIC_PREFIX);
    }

    private ProducerRecord<byte[], byte[]> toProducerRecord(SourceRecord record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            byte[] value = bytes(header.value());
            if (value != null && !header.key().equals(ROUTER_ID_HEADER) && !header.key().equals(RECORDED_AT_HEADER)) {
                headers.add(header.key(), value);
            }
        }
        headers.add(TERM_HEADER, term);
        return new ProducerRecord<>(record.topic(), null, record.timestamp(), bytes(record.key()),
                bytes(record.value()), headers);
    }

    /** Debezium sends a {@code timestamptz} as ISO-8601 text with its offset. */
    private static @Nullable Instant recordedAt(SourceRecord record) {
        Header header = record.headers().lastWithName(RECORDED_AT_HEADER);
        if (header == null || header.value() == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(header.value().toString()).toInstant();
        }
        catch (java.time.DateTimeException ex) {
            return null;
        }
    }

    private record Recorded(String topic, @Nullable Instant at) {
    }

    private static byte @Nullable [] bytes(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] array) {
            return array;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            return copy;
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Gives up the batch in flight at once, from another thread: the producer closes without waiting for Kafka. */
    void abandon() {
        producer.close(Duration.ZERO);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    private record RefusedRecord(String topic, @Nullable String key, @Nullable String eventId, @Nullable String sequence,
            int bytes, Exception error) {

        static RefusedRecord of(ProducerRecord<byte[], byte[]> record, Exception error) {
            return new RefusedRecord(record.topic(), text(record.key()), header(record, EVENT_ID_HEADER),
                    header(record, SEQUENCE_HEADER), record.value() == null ? 0 : record.value().length, error);
        }

        /** Errors that publishing the same bytes again cannot cure. */
        boolean isPermanent() {
            return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                    || error instanceof InvalidRecordException || error instanceof InvalidTopicException;
        }

        String describe() {
            return "Kafka refused outbox event " + eventId + " (outbox seq " + sequence + ", topic " + topic + ", key "
                    + key + ", " + bytes + " bytes): " + error + ". The relay stops here so no later event of this key"
                    + " is published before it. Fix the cause and it resumes: for a record too large, raise the topic's"
                    + " max.message.bytes and the relay's max.request.size (spring.kafka.producer.properties.max.request.size)";
        }

        private static @Nullable String header(ProducerRecord<byte[], byte[]> record, String key) {
            var header = record.headers().lastHeader(key);
            return header == null ? null : text(header.value());
        }

        private static @Nullable String text(byte @Nullable [] value) {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }
}
