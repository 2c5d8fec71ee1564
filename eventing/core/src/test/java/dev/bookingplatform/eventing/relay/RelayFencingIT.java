package dev.bookingplatform.eventing.relay;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.eventing.metrics.EventingMeters;
import dev.bookingplatform.eventing.support.OutboxFixture;
import dev.bookingplatform.eventing.support.OutboxLoad;
import dev.bookingplatform.eventing.support.Sequences;
import dev.bookingplatform.eventing.support.TopicReader;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A zombie leader (its lock session gone, its engine and producer still running) cannot make anything visible
 * after the new leader started, nor move the stored offset: the broker fences its producer, the term fences its
 * offset writes.
 */
@RealInfrastructure
@Timeout(300)
class RelayFencingIT {

    @Test
    void aZombiesBatchInFlightNeverCommitsOnceTheNewLeaderStarted(KafkaBroker kafka, SchemaRegistry registry) throws Exception {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("fencing_batch");
        OutboxFixture outbox = new OutboxFixture(database, kafka, registry);
        RelaySettings settings = outbox.relaySettings();
        String zombieKey = "zombie-" + UUID.randomUUID();
        String leaderKey = "leader-" + UUID.randomUUID();

        CountDownLatch zombieSentFirst = new CountDownLatch(1);
        CountDownLatch newLeaderStarted = new CountDownLatch(1);
        AtomicBoolean zombieMarkedAnything = new AtomicBoolean();
        AtomicReference<Throwable> zombieOutcome = new AtomicReference<>();
        try (KafkaPublisher zombie = new KafkaPublisher(settings, 1, new AtomicLong(), EventingMeters.none());
                TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS, Set.of(zombieKey, leaderKey))) {
            // The zombie's batch: its second record is handed over only after the new leader's publisher started.
            List<RecordChangeEvent<SourceRecord>> batch = pausingBatch(zombieKey, 3, zombieSentFirst, newLeaderStarted);
            CompletableFuture<Void> zombieBatch = CompletableFuture.runAsync(() -> {
                try {
                    zombie.handleBatch(batch, committer(zombieMarkedAnything));
                }
                catch (Throwable ex) {
                    zombieOutcome.set(ex);
                }
            });
            assertThat(zombieSentFirst.await(30, TimeUnit.SECONDS)).isTrue();

            try (KafkaPublisher leader = new KafkaPublisher(settings, 2, new AtomicLong(), EventingMeters.none())) {
                newLeaderStarted.countDown();
                zombieBatch.get(60, TimeUnit.SECONDS);
                leader.handleBatch(List.of(change(leaderKey, 1), change(leaderKey, 2)), committer(new AtomicBoolean()));
            }

            assertThat(zombieOutcome.get()).as("the zombie's commit is refused by the broker").isInstanceOf(RelayFencedException.class);
            assertThat(zombieMarkedAnything).as("nothing of the zombie's batch is marked processed").isFalse();
            List<ConsumerRecord<String, byte[]>> visible = reader.awaitAtLeast(2, Duration.ofSeconds(30));
            // Give a late zombie record every chance to show up before asserting it never does.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> reader.poll().size() == 2);
            assertThat(reader.poll()).extracting(ConsumerRecord::key).containsOnly(leaderKey);
            assertThat(visible).allSatisfy(record -> assertThat(LeaderTerms.of(record)).isEqualTo(2));
        }
    }

    @Test
    void anOffsetWriteOfAnOlderTermIsRefused(KafkaBroker kafka, SchemaRegistry registry) throws Exception {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("fencing_offsets");
        OutboxFixture outbox = new OutboxFixture(database, kafka, registry);
        outbox.execute("UPDATE relay_leader SET term = 7");
        JdbcOffsetStore current = offsetStore(outbox.relaySettings(), 7);
        JdbcOffsetStore zombie = offsetStore(outbox.relaySettings(), 6);
        try {
            current.set(Map.of(bytes("partition"), bytes("{\"lsn\":200}")), null).get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> zombie.set(Map.of(bytes("partition"), bytes("{\"lsn\":100}")), null).get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(RelayFencedException.class);
            assertThat(storedOffset(outbox)).isEqualTo("{\"lsn\":200}");
        }
        finally {
            current.stop();
            zombie.stop();
        }
    }

    @Test
    void aZombieLeaderWhoseLockSessionDiedPublishesNothingAfterTheNewLeadersFirstCommit(KafkaBroker kafka,
            SchemaRegistry registry) throws Exception {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("fencing_zombie");
        OutboxFixture outbox = new OutboxFixture(database, kafka, registry);
        List<UUID> aggregates = OutboxLoad.aggregates(8);
        // The zombie never checks its lock: only fencing can stop it.
        RelaySettings blind = outbox.relaySettings().withTuning(outbox.relaySettings().slotName(), Duration.ofMillis(5),
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(2));
        StoredOffsetWatch offsets = new StoredOffsetWatch(outbox);
        try (TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS, OutboxRelayFailureIT.keys(aggregates));
                OutboxRelay zombie = new OutboxRelay(blind)) {
            zombie.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> zombie.status().state() == RelayStatus.State.RUNNING);
            OutboxLoad.write(database, registry.url(), aggregates, 1, 10, 2, 5);
            reader.awaitAtLeast(80, Duration.ofSeconds(60));

            long zombieTerm = zombie.status().term();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> write(database, registry, aggregates, 11, 30));
            outbox.execute("SELECT pg_terminate_backend(" + zombie.leaderLockBackendPid() + ")");
            try (OutboxRelay leader = outbox.startRelay()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> leader.status().state() == RelayStatus.State.RUNNING);
                writing.get(120, TimeUnit.SECONDS);
                List<ConsumerRecord<String, byte[]>> records = reader.awaitUntil(all ->
                        Sequences.everyKeyReached(all, registry.url(), aggregates.size(), 40), Duration.ofSeconds(90));
                long leaderTerm = leader.status().term();
                assertThat(zombieTerm).isPositive();
                assertThat(leaderTerm).isGreaterThan(zombieTerm);

                assertThat(LeaderTerms.olderAfterNewer(records)).as("records of an older term visible after a newer one's").isEmpty();
                assertThat(records).extracting(LeaderTerms::of).contains(leaderTerm);
                assertThat(Sequences.byAggregate(records, registry.url()).values()).allSatisfy(sequence ->
                        assertThat(Sequences.withoutRedeliveries(sequence)).isEqualTo(OutboxRelayFailureIT.oneTo(40)));
            }
        }
        finally {
            offsets.stop();
        }
        assertThat(offsets.wentBackwards()).as("the stored offset never moves backwards").isEmpty();
        assertThat(offsets.samples()).isGreaterThan(10);
    }

    private static void write(PostgresDatabase database, SchemaRegistry registry, List<UUID> aggregates, int from, int count) {
        try {
            for (int i = 0; i < count; i++) {
                OutboxLoad.write(database, registry.url(), aggregates, from + i, 1, 2, 1);
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static JdbcOffsetStore offsetStore(RelaySettings settings, long term) {
        JdbcOffsetStore store = new JdbcOffsetStore();
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", settings.bootstrapServers());
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("offset.storage.file.filename", "unused");
        config.put(JdbcOffsetStore.URL, settings.jdbcUrl());
        config.put(JdbcOffsetStore.USER, settings.user());
        config.put(JdbcOffsetStore.PASSWORD, settings.password());
        config.put(JdbcOffsetStore.TERM, Long.toString(term));
        store.configure(new org.apache.kafka.connect.runtime.standalone.StandaloneConfig(config));
        store.start();
        return store;
    }

    private static String storedOffset(OutboxFixture outbox) throws Exception {
        try (Connection connection = outbox.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT offset_value FROM relay_offset");
                ResultSet row = select.executeQuery()) {
            row.next();
            return new String(row.getBytes(1), StandardCharsets.UTF_8);
        }
    }

    private static java.nio.ByteBuffer bytes(String text) {
        return java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<RecordChangeEvent<SourceRecord>> pausingBatch(String key, int size, CountDownLatch firstSent,
            CountDownLatch proceed) {
        List<RecordChangeEvent<SourceRecord>> records = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            records.add(change(key, i));
        }
        return new java.util.AbstractList<>() {
            @Override
            public RecordChangeEvent<SourceRecord> get(int index) {
                return records.get(index);
            }

            @Override
            public int size() {
                return records.size();
            }

            @Override
            public Iterator<RecordChangeEvent<SourceRecord>> iterator() {
                Iterator<RecordChangeEvent<SourceRecord>> inner = records.iterator();
                return new Iterator<>() {
                    private int handedOut;

                    @Override
                    public boolean hasNext() {
                        return inner.hasNext();
                    }

                    @Override
                    public RecordChangeEvent<SourceRecord> next() {
                        if (handedOut++ == 1) {
                            firstSent.countDown();
                            awaitQuietly(proceed);
                        }
                        return inner.next();
                    }
                };
            }
        };
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static RecordChangeEvent<SourceRecord> change(String key, int sequence) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("eventId", UUID.randomUUID().toString());
        SourceRecord record = new SourceRecord(Map.of(), Map.of(), Topics.BOOKING_EVENTS, null, Schema.STRING_SCHEMA, key,
                Schema.BYTES_SCHEMA, ("not avro " + sequence).getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), headers);
        return () -> record;
    }

    private static DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer(AtomicBoolean marked) {
        return new DebeziumEngine.RecordCommitter<>() {
            @Override
            public void markProcessed(RecordChangeEvent<SourceRecord> record) {
                marked.set(true);
            }

            @Override
            public void markBatchFinished() {
                marked.set(true);
            }

            @Override
            public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets sourceOffsets) {
                marked.set(true);
            }

            @Override
            public DebeziumEngine.Offsets buildOffsets() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
