package dev.bookingplatform.eventing.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;

/**
 * Publishes each batch the engine hands over and marks it processed only after Kafka acknowledged every
 * record in it, so stored offsets never run ahead of what the broker has. Idempotent producer with
 * {@code acks=all}: retries inside the producer neither duplicate nor reorder.
 */
final class KafkaPublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>, AutoCloseable {

    /** The router also writes the event id as "id"; we carry it once, as eventId. */
    private static final String ROUTER_ID_HEADER = "id";

    private final KafkaProducer<byte[], byte[]> producer;

    private final AtomicLong published;

    KafkaPublisher(String bootstrapServers, AtomicLong published) {
        this.published = published;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        // A broker outage of minutes must not fail the batch: wait, then deliver in order.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(10 * 60 * 1000));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(10 * 60 * 1000));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> batch,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
        for (RecordChangeEvent<SourceRecord> change : batch) {
            SourceRecord record = change.record();
            if (isOutboxEvent(record)) {
                sends.add(producer.send(toProducerRecord(record)));
            }
        }
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            }
            catch (ExecutionException ex) {
                throw new IllegalStateException("Kafka did not acknowledge an outbox event; the batch is not"
                        + " committed and will be published again: " + ex.getCause(), ex.getCause());
            }
        }
        published.addAndGet(sends.size());
        for (RecordChangeEvent<SourceRecord> change : batch) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
    }

    private static boolean isOutboxEvent(SourceRecord record) {
        return record.value() != null && !record.topic().startsWith(RelayEngineProperties.HEARTBEAT_TOPIC_PREFIX);
    }

    private static ProducerRecord<byte[], byte[]> toProducerRecord(SourceRecord record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            byte[] value = bytes(header.value());
            if (value != null && !header.key().equals(ROUTER_ID_HEADER)) {
                headers.add(header.key(), value);
            }
        }
        return new ProducerRecord<>(record.topic(), null, record.timestamp(), bytes(record.key()),
                bytes(record.value()), headers);
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

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
