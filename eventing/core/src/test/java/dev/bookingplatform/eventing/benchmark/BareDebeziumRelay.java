package dev.bookingplatform.eventing.benchmark;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

/**
 * The baseline: a Debezium engine with the same connector and Outbox Event Router, feeding a plain Kafka
 * producer, committing each batch after the acks. No Spring, nothing of our library; offsets in a file.
 *
 * <p>{@linkplain #transactional Transactional}, the same engine publishes each batch in a Kafka transaction of its
 * own, with nothing else of ours (no lock, no fencing checks, no headers of ours): what Kafka's transactions alone
 * cost, beside which our relay's remaining extra time is its own.
 *
 * <p>Both are tuned as our relay is where tuning is not what is being compared: offsets stored once a second, the
 * same producer batch size, the same engine queue. Only the transaction, and our relay's own work, differ.
 */
final class BareDebeziumRelay implements AutoCloseable {

    /** Short, for latency; the relay under test is run with the same in the benchmark. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(5);

    /** As our relay's default ({@code RelaySettings.of}): storing offsets after every batch puts a write on its path. */
    private static final Duration OFFSET_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    private final KafkaProducer<byte[], byte[]> producer;

    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    private final BatchTimes batchTimes;

    private final boolean transactional;

    private BareDebeziumRelay(PostgresDatabase database, String bootstrapServers, Path offsets, BatchTimes batchTimes,
            boolean transactional) throws Exception {
        this.batchTimes = batchTimes;
        this.transactional = transactional;
        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", bootstrapServers);
        producerProps.put("acks", "all");
        producerProps.put("enable.idempotence", "true");
        producerProps.put("batch.size", Integer.toString(256 * 1024));
        if (transactional) {
            // As our relay's producer: the commit flushes the batch, so nothing waits for a linger.
            producerProps.put("transactional.id", "bare-transactional-" + database.name());
            producerProps.put("linger.ms", "0");
        }
        else {
            producerProps.put("linger.ms", "1");
        }
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        if (transactional) {
            producer.initTransactions();
        }

        Properties props = new Properties();
        props.setProperty("name", "baseline-" + database.name());
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.setProperty("topic.prefix", "baseline");
        props.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        props.setProperty("offset.storage.file.filename", Files.createDirectories(offsets).resolve("offsets.dat").toString());
        props.setProperty("offset.flush.interval.ms", Long.toString(OFFSET_FLUSH_INTERVAL.toMillis()));
        props.setProperty("database.hostname", database.host());
        props.setProperty("database.port", Integer.toString(database.port()));
        props.setProperty("database.user", database.username());
        props.setProperty("database.password", database.password());
        props.setProperty("database.dbname", database.name());
        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", "baseline_" + database.name());
        props.setProperty("publication.name", "outbox_publication");
        props.setProperty("publication.autocreate.mode", "disabled");
        props.setProperty("table.include.list", "public.outbox_event");
        props.setProperty("snapshot.mode", "initial");
        props.setProperty("binary.handling.mode", "bytes");
        props.setProperty("poll.interval.ms", Long.toString(POLL_INTERVAL.toMillis()));
        props.setProperty("max.batch.size", "512");
        props.setProperty("max.queue.size", "16384");
        props.setProperty("transforms", "outbox");
        props.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        props.setProperty("transforms.outbox.table.field.event.id", "id");
        props.setProperty("transforms.outbox.table.field.event.key", "aggregate_id");
        props.setProperty("transforms.outbox.table.field.event.payload", "payload");
        props.setProperty("transforms.outbox.route.by.field", "aggregate_type");
        props.setProperty("transforms.outbox.route.topic.replacement", "${routedByValue}.events");
        props.setProperty("transforms.outbox.table.fields.additional.placement", "id:header:eventId");
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(props)
                .notifying(this::publish)
                .build();
        runner.execute(engine);
    }

    /** A plain producer, each batch's acks awaited. */
    static BareDebeziumRelay plain(PostgresDatabase database, String bootstrapServers, Path offsets, BatchTimes batchTimes)
            throws Exception {
        return new BareDebeziumRelay(database, bootstrapServers, offsets, batchTimes, false);
    }

    /** A transactional producer, one transaction a batch. */
    static BareDebeziumRelay transactional(PostgresDatabase database, String bootstrapServers, Path offsets,
            BatchTimes batchTimes) throws Exception {
        return new BareDebeziumRelay(database, bootstrapServers, offsets, batchTimes, true);
    }

    private void publish(List<RecordChangeEvent<SourceRecord>> batch,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        if (transactional) {
            publishInTransaction(batch, committer);
            return;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> change : batch) {
            SourceRecord record = change.record();
            if (record.value() == null) {
                continue;
            }
            sends.add(producer.send(toProducerRecord(record)));
        }
        long waitingSince = System.nanoTime();
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            }
            catch (java.util.concurrent.ExecutionException ex) {
                throw new IllegalStateException(ex);
            }
        }
        if (!sends.isEmpty()) {
            batchTimes.recordBaselineAcks(Duration.ofNanos(System.nanoTime() - waitingSince));
        }
        for (RecordChangeEvent<SourceRecord> change : batch) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
    }

    private void publishInTransaction(List<RecordChangeEvent<SourceRecord>> batch,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        producer.beginTransaction();
        int sent = 0;
        for (RecordChangeEvent<SourceRecord> change : batch) {
            if (change.record().value() != null) {
                producer.send(toProducerRecord(change.record()));
                sent++;
            }
        }
        long commitStarted = System.nanoTime();
        producer.commitTransaction();
        if (sent > 0) {
            batchTimes.recordBareTransactionCommit(Duration.ofNanos(System.nanoTime() - commitStarted));
        }
        for (RecordChangeEvent<SourceRecord> change : batch) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
    }

    private static ProducerRecord<byte[], byte[]> toProducerRecord(SourceRecord record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.add(header.key(), header.value().toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] value = record.value() instanceof ByteBuffer buffer ? bytes(buffer) : (byte[]) record.value();
        return new ProducerRecord<>(record.topic(), null, record.key().toString().getBytes(StandardCharsets.UTF_8), value,
                headers);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    @Override
    public void close() throws Exception {
        engine.close();
        runner.shutdown();
        // The engine thread may still be in a batch: the producer closes after it, not under it.
        runner.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        producer.close();
    }
}
