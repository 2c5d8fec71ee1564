package dev.bookingplatform.eventing.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.consumer.EventConsumer;
import dev.bookingplatform.eventing.consumer.EventConsumerSettings;
import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.eventing.consumer.IdempotentEventDispatcher;
import dev.bookingplatform.eventing.consumer.ReceivedEventDeserializer;
import dev.bookingplatform.eventing.consumer.RetryPolicy;
import dev.bookingplatform.eventing.inbox.InboxGuard;
import dev.bookingplatform.eventing.schema.EventingSchema;
import dev.bookingplatform.eventing.support.TestEvents;
import dev.bookingplatform.eventing.support.TopicReader;
import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.serde.AvroEventSerializer;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dead-letter index and what ops do with it, on a real broker and database: a dead letter is indexed with the
 * coordinates the DLT acknowledged; later events of its key are parked behind it, not applied; a replay (once the
 * cause is fixed) applies it and then the parked ones in their order; a skip applies only the parked ones; a
 * second replay, a replay of what the inbox had, and a bulk dry run change nothing.
 */
@RealInfrastructure
class DeadLetterReplayIT {

    private static final RetryPolicy TWICE = new RetryPolicy(2, Duration.ofMillis(50), 2.0, Duration.ofMillis(200), Duration.ZERO);

    private static DataSource dataSource;

    private static JdbcTemplate jdbc;

    private static SchemaRegistryClient registry;

    private static String bootstrap;

    private final String topic = "dead-letter-test-" + UUID.randomUUID() + ".events";

    private final String group = "group-" + UUID.randomUUID();

    /** Bookings whose events the handler refuses: the cause ops fix before they replay. */
    private final Set<UUID> broken = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private DeadLetterStore store;

    private DeadLetterReplayer replayer;

    private DeadLetterIndex index;

    private IdempotentEventDispatcher dispatcher;

    @BeforeAll
    static void setUp(PostgresDatabase database, KafkaBroker kafka, SchemaRegistry schemaRegistry) {
        dataSource = database.dataSource();
        EventingSchema.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE applied (n bigserial, event_id uuid NOT NULL, booking_id uuid NOT NULL, sequence int NOT NULL)");
        registry = new RestSchemaRegistryClient(SchemaRegistrySettings.of(schemaRegistry.url()));
        bootstrap = kafka.bootstrapServers();
    }

    @BeforeEach
    void startConsumer() {
        HandlerRegistration<BookingRequested> registration = new HandlerRegistration<>(topic, BookingRequested.class,
                this::apply, TWICE);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        index = new DeadLetterIndex(dataSource);
        dispatcher = new IdempotentEventDispatcher(group, List.of(registration),
                new InboxGuard(dataSource), index, transactions);
        EventConsumer consumer = new EventConsumer(new EventConsumerSettings(bootstrap, group, 1), List.of(registration),
                dispatcher, registry);
        consumer.start();
        closeables.add(consumer);
        store = new DeadLetterStore(dataSource);
        replayer = new DeadLetterReplayer(store, index, dispatcher, new ReceivedEventDeserializer(registry), transactions);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void aDeadLetterIsIndexedWhereTheDeadLetterTopicPutItWithItsErrorAndAttempts() {
        UUID booking = UUID.randomUUID();
        broken.add(booking);
        BookingRequested event = TestEvents.bookingRequested(booking, 1);
        send(event);

        DeadLetter letter = awaitOpen(booking, 1).get(0);
        ConsumerRecord<String, byte[]> onTopic;
        try (TopicReader reader = new TopicReader(bootstrap, Topics.deadLetterTopic(topic, group), record -> true)) {
            onTopic = reader.awaitAtLeast(1, Duration.ofSeconds(60)).get(0);
        }
        assertThat(letter.status()).isEqualTo(DeadLetter.Status.DEAD);
        assertThat(letter.dltTopic()).isEqualTo(onTopic.topic());
        assertThat(letter.dltPartition()).isEqualTo(onTopic.partition());
        assertThat(letter.dltOffset()).isEqualTo(onTopic.offset());
        // spring-kafka writes the original offset as 8 big-endian bytes.
        assertThat(java.nio.ByteBuffer.wrap(onTopic.headers().lastHeader("kafka_dlt-original-offset").value()).getLong())
                .isEqualTo(letter.offset());
        assertThat(header(onTopic, "kafka_dlt-original-topic")).isEqualTo(letter.topic());
        assertThat(letter.eventId()).isEqualTo(event.getMetadata().getEventId());
        assertThat(letter.eventType()).isEqualTo("BookingRequested");
        assertThat(letter.bookingId()).isEqualTo(booking.toString());
        assertThat(letter.exceptionClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(letter.exceptionMessage()).contains("refused for booking " + booking);
        assertThat(letter.attempts()).isEqualTo(2);
        assertThat(store.record(letter.id()).value()).isEqualTo(new AvroEventSerializer(registry).serialize(topic, event));
        assertThat(store.record(letter.id()).headers()).containsEntry("eventId", event.getMetadata().getEventId().toString());
    }

    @Test
    void laterEventsOfTheKeyAreParkedAndAReplayAppliesThemAfterTheHeadInOrderOnce() {
        UUID booking = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        broken.add(booking);
        for (int sequence = 1; sequence <= 4; sequence++) {
            send(TestEvents.bookingRequested(booking, sequence));
        }
        send(TestEvents.bookingRequested(other, 1));

        await().atMost(Duration.ofSeconds(60)).until(() -> appliedSequences(other).equals(List.of(1)));
        List<DeadLetter> open = awaitOpen(booking, 4);
        assertThat(open).extracting(DeadLetter::status).containsExactly(DeadLetter.Status.DEAD, DeadLetter.Status.PARKED,
                DeadLetter.Status.PARKED, DeadLetter.Status.PARKED);
        assertThat(open.subList(1, 4)).allSatisfy(parked -> assertThat(parked.parkedBehind()).isEqualTo(open.get(0).id()));
        assertThat(appliedSequences(booking)).as("nothing of the key applied while its head is dead").isEmpty();

        // A dry run tells what a run would do with each: the head replayed, the parked released by it, or, with the
        // head left out by the filter, the parked refused behind it.
        List<DeadLetterReplayer.BulkItem> whole = replayer.replayAll(new DeadLetterFilter(group, null, null, booking.toString(), null,
                null, null, null, true), true, 100, "ops", "what would go");
        assertThat(whole).extracting(DeadLetterReplayer.BulkItem::wouldBe)
                .containsExactly("REPLAY", "RELEASED_BY_AN_EARLIER_ONE", "RELEASED_BY_AN_EARLIER_ONE", "RELEASED_BY_AN_EARLIER_ONE");
        List<DeadLetterReplayer.BulkItem> parkedOnly = replayer.replayAll(new DeadLetterFilter(group, null, null, booking.toString(),
                null, DeadLetter.Status.PARKED, null, null, true), true, 100, "ops", "what would go");
        assertThat(parkedOnly).hasSize(3).allSatisfy(item -> assertThat(item.wouldBe())
                .isEqualTo("BEHIND_AN_OPEN_ONE (" + open.get(0).path() + ", not in this run)"));

        DeadLetterReplayer.Outcome early = replayer.replay(open.get(2), "ops", "out of turn");
        assertThat(early.result()).isEqualTo(DeadLetterReplayer.Outcome.Result.BEHIND_AN_OPEN_ONE);
        DeadLetterReplayer.Outcome stillBroken = replayer.replay(open.get(0), "ops", "before the fix");
        assertThat(stillBroken.result()).isEqualTo(DeadLetterReplayer.Outcome.Result.FAILED);
        assertThat(store.find(open.get(0).id()).orElseThrow().lastReplayError()).contains("refused for booking");
        assertThat(appliedSequences(booking)).isEmpty();

        broken.remove(booking);
        DeadLetterReplayer.Outcome replayed = replayer.replay(open.get(0), "ops", "cause fixed");

        assertThat(replayed.result()).isEqualTo(DeadLetterReplayer.Outcome.Result.APPLIED);
        assertThat(replayed.released()).isEqualTo(3);
        assertThat(appliedSequences(booking)).containsExactly(1, 2, 3, 4);
        assertThat(store.list(DeadLetterFilter.all(group), 0, 10)).filteredOn(letter -> booking.toString().equals(letter.key()))
                .extracting(DeadLetter::status).containsOnly(DeadLetter.Status.REPLAYED);
        assertThat(store.actions(open.get(2).id())).extracting(DeadLetterStore.Action::outcome)
                .containsExactly("BEHIND_AN_OPEN_ONE", "APPLIED");
        assertThat(store.actions(open.get(0).id())).extracting(DeadLetterStore.Action::outcome, DeadLetterStore.Action::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("FAILED", "before the fix"),
                        org.assertj.core.groups.Tuple.tuple("APPLIED", "cause fixed"));

        DeadLetterReplayer.Outcome again = replayer.replay(open.get(0), "ops", "twice");
        assertThat(again.result()).isEqualTo(DeadLetterReplayer.Outcome.Result.ALREADY_RESOLVED);
        assertThat(appliedSequences(booking)).containsExactly(1, 2, 3, 4);

        send(TestEvents.bookingRequested(booking, 5));
        await().atMost(Duration.ofSeconds(60)).until(() -> appliedSequences(booking).size() == 5);
        assertThat(appliedSequences(booking)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aSkippedHeadIsNeverAppliedAndWhatWasParkedBehindItIs() {
        UUID booking = UUID.randomUUID();
        broken.add(booking);
        send(TestEvents.bookingRequested(booking, 1));
        send(TestEvents.bookingRequested(booking, 2));
        List<DeadLetter> open = awaitOpen(booking, 2);
        broken.remove(booking);

        DeadLetterReplayer.Outcome skipped = replayer.skip(open.get(0), "ops", "never to be applied");

        assertThat(skipped.result()).isEqualTo(DeadLetterReplayer.Outcome.Result.SKIPPED);
        assertThat(skipped.released()).isEqualTo(1);
        assertThat(appliedSequences(booking)).containsExactly(2);
        assertThat(store.find(open.get(0).id()).orElseThrow().status()).isEqualTo(DeadLetter.Status.SKIPPED);
        assertThat(replayer.replay(open.get(0), "ops", "after the skip").result())
                .isEqualTo(DeadLetterReplayer.Outcome.Result.ALREADY_RESOLVED);
        assertThat(appliedSequences(booking)).containsExactly(2);
    }

    @Test
    void replayingAnEventTheInboxAlreadyHasChangesNothing() {
        UUID booking = UUID.randomUUID();
        broken.add(booking);
        BookingRequested event = TestEvents.bookingRequested(booking, 1);
        send(event);
        DeadLetter letter = awaitOpen(booking, 1).get(0);
        broken.remove(booking);
        jdbc.update("INSERT INTO processed_event (consumer_group, event_id) VALUES (?, ?)", group, event.getMetadata().getEventId());

        DeadLetterReplayer.Outcome outcome = replayer.replay(letter, "ops", "it was applied by hand");

        assertThat(outcome.result()).isEqualTo(DeadLetterReplayer.Outcome.Result.ALREADY_APPLIED);
        assertThat(appliedSequences(booking)).isEmpty();
        assertThat(store.find(letter.id()).orElseThrow().status()).isEqualTo(DeadLetter.Status.REPLAYED);
    }

    @Test
    void aBulkDryRunListsExactlyTheMatchingOpenDeadLettersAndChangesNothingThenTheRunReplaysThem() {
        List<UUID> bookings = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        broken.addAll(bookings);
        bookings.forEach(booking -> send(TestEvents.bookingRequested(booking, 1)));
        bookings.forEach(booking -> awaitOpen(booking, 1));
        DeadLetterFilter second = new DeadLetterFilter(group, topic, "BookingRequested", bookings.get(1).toString(), null, null,
                null, null, true);
        String before = jdbc.queryForObject("SELECT string_agg(id || status || replays, ',' ORDER BY id) FROM dead_letter"
                + " WHERE consumer_group = ?", String.class, group);

        List<DeadLetterReplayer.BulkItem> dryRun = replayer.replayAll(second, true, 100, "ops", "what would go");
        List<DeadLetterReplayer.BulkItem> everything = replayer.replayAll(DeadLetterFilter.all(group), true, 100, "ops", "all");

        assertThat(dryRun).extracting(item -> item.deadLetter().bookingId()).containsExactly(bookings.get(1).toString());
        assertThat(dryRun).allSatisfy(item -> assertThat(item.outcome()).isNull());
        assertThat(dryRun).extracting(DeadLetterReplayer.BulkItem::wouldBe).containsExactly("REPLAY");
        // Three keys, so three partitions perhaps: dead-lettered in any order.
        assertThat(everything).extracting(item -> item.deadLetter().bookingId())
                .containsExactlyInAnyOrderElementsOf(bookings.stream().map(UUID::toString).toList());
        assertThat(jdbc.queryForObject("SELECT string_agg(id || status || replays, ',' ORDER BY id) FROM dead_letter"
                + " WHERE consumer_group = ?", String.class, group)).isEqualTo(before);
        bookings.forEach(booking -> assertThat(appliedSequences(booking)).isEmpty());

        broken.removeAll(bookings);
        List<DeadLetterReplayer.BulkItem> run = replayer.replayAll(DeadLetterFilter.all(group), false, 100, "ops", "fixed");

        assertThat(run).extracting(item -> item.outcome().result()).containsOnly(DeadLetterReplayer.Outcome.Result.APPLIED);
        bookings.forEach(booking -> assertThat(appliedSequences(booking)).containsExactly(1));
    }

    /**
     * The race a drain must win: new events of the key keep arriving while ops replay its head. Each one is either
     * parked before the drain looks (and released by it) or applied after the drain is done, never before an
     * earlier one. Seeded: the seed is printed, so a failure replays.
     */
    @Test
    void eventsArrivingWhileADrainRunsAreAppliedInOrderOnce() throws Exception {
        long seed = System.nanoTime();
        System.out.println("DeadLetterReplayIT drain race seed: " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 3; round++) {
            UUID booking = UUID.randomUUID();
            broken.add(booking);
            int parkedFirst = 1 + random.nextInt(20);
            int during = 5 + random.nextInt(40);
            for (int sequence = 1; sequence <= 1 + parkedFirst; sequence++) {
                send(TestEvents.bookingRequested(booking, sequence));
            }
            List<DeadLetter> open = awaitOpen(booking, 1 + parkedFirst);
            broken.remove(booking);
            int pause = 5 + random.nextInt(40);
            CompletableFuture<Void> arriving = CompletableFuture.runAsync(() -> {
                for (int sequence = 2 + parkedFirst; sequence <= 1 + parkedFirst + during; sequence++) {
                    send(TestEvents.bookingRequested(booking, sequence));
                    sleepQuietly(pause);
                }
            });
            // Replay once the stream of new events has begun: some are parked before the drain, some arrive in it.
            DeadLetterFilter ofBooking = new DeadLetterFilter(group, null, null, booking.toString(), null, null, null, null, false);
            await().atMost(Duration.ofSeconds(60)).until(() -> store.count(ofBooking) > 1 + parkedFirst);
            replayer.replay(open.get(0), "ops", "race round " + round);
            arriving.get(60, TimeUnit.SECONDS);
            int total = 1 + parkedFirst + during;
            await().atMost(Duration.ofSeconds(60)).until(() -> appliedSequences(booking).size() >= total);
            assertThat(appliedSequences(booking)).as("seed %d round %d", seed, round)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, total).boxed().toList());
            assertThat(store.count(new DeadLetterFilter(group, null, null, booking.toString(), null, null, null, null, true)))
                    .as("nothing left open, seed %d", seed).isZero();
        }
    }

    /**
     * The moment a drain can lose, held open: the consumer has decided to park a record (the head is open) but not
     * written it yet when ops replay the head. The replay must wait for that commit (the key's lock) and then release the record too;
     * without the lock it would finish first, blind to the uncommitted record, and leave it parked behind nothing
     * for good (seen: this test failed with the lock taken out of {@link DeadLetterIndex#admit}).
     */
    @Test
    void aReplayWaitsForARecordBeingParkedAndReleasesItToo() throws Exception {
        AvroEventSerializer serializer = new AvroEventSerializer(registry);
        UUID booking = UUID.randomUUID();
        BookingRequested first = TestEvents.bookingRequested(booking, 1);
        BookingRequested second = TestEvents.bookingRequested(booking, 2);
        var head = record(booking, 1, first, serializer.serialize(topic, first));
        var next = record(booking, 2, second, serializer.serialize(topic, second));
        assertThat(index.recordDeadLetter(group, head, new IllegalStateException("refused"), 1, new org.apache.kafka.clients.producer.RecordMetadata(
                new org.apache.kafka.common.TopicPartition(topic + ".DLT", 0), 0, 0, 0L, 0, 0))).as("first dead letter").isTrue();
        // Dead-lettered again after its offset commit was lost: one row, not counted twice.
        assertThat(index.recordDeadLetter(group, head, new IllegalStateException("refused"), 1, new org.apache.kafka.clients.producer.RecordMetadata(
                new org.apache.kafka.common.TopicPartition(topic + ".DLT", 0), 1, 0, 0L, 0, 0))).as("the same again").isFalse();
        DeadLetter letter = store.find(group, topic, 0, 1).orElseThrow();
        assertThat(letter.dltOffset()).as("the newest DLT coordinates").isEqualTo(1L);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        CompletableFuture<DeadLetterReplayer.Outcome> replay = transactions.execute(status -> {
            assertThat(index.admit(group, next)).isEqualTo(new DeadLetterIndex.ParkBehind(letter.id()));
            CompletableFuture<DeadLetterReplayer.Outcome> replaying = CompletableFuture.supplyAsync(() ->
                    replayer.replay(letter, "ops", "while a record is being parked"));
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> !replaying.isDone());
            index.park(group, next, letter.id());
            return replaying;
        });

        DeadLetterReplayer.Outcome outcome = replay.get(30, TimeUnit.SECONDS);
        assertThat(outcome.result()).isEqualTo(DeadLetterReplayer.Outcome.Result.APPLIED);
        assertThat(outcome.released()).isEqualTo(1);
        assertThat(appliedSequences(booking)).containsExactly(1, 2);
    }

    /**
     * A release cut short: the head was resolved, but the process died before its parked records were applied (here:
     * the head resolved by hand, as that commit would leave it). New records of the key park behind the stranded ones;
     * the periodic sweep applies them all, in order.
     */
    @Test
    void parkedRecordsLeftBehindAResolvedHeadAreReleasedByTheSweep() {
        AvroEventSerializer serializer = new AvroEventSerializer(registry);
        UUID booking = UUID.randomUUID();
        List<ConsumerRecord<byte[], dev.bookingplatform.eventing.consumer.ReceivedEvent>> records = new ArrayList<>();
        for (int sequence = 1; sequence <= 4; sequence++) {
            BookingRequested event = TestEvents.bookingRequested(booking, sequence);
            records.add(record(booking, 1_000_000L + sequence, event, serializer.serialize(topic, event)));
        }
        index.recordDeadLetter(group, records.get(0), new IllegalStateException("refused"), 1, new org.apache.kafka.clients.producer.RecordMetadata(
                new org.apache.kafka.common.TopicPartition(topic + ".DLT", 0), 7, 0, 0L, 0, 0));
        dispatcher.dispatch(records.get(1));
        dispatcher.dispatch(records.get(2));
        DeadLetter head = store.find(group, topic, 0, 1_000_001L).orElseThrow();
        jdbc.update("INSERT INTO applied (event_id, booking_id, sequence) VALUES (gen_random_uuid(), ?, 1)", booking);
        jdbc.update("UPDATE dead_letter SET status = 'REPLAYED', resolved_at = now(), resolved_by = 'ops' WHERE id = ?", head.id());
        dispatcher.dispatch(records.get(3));
        assertThat(appliedSequences(booking)).as("stranded: nothing after the head applied").containsExactly(1);

        assertThat(replayer.releaseStranded()).isEqualTo(3);

        assertThat(appliedSequences(booking)).containsExactly(1, 2, 3, 4);
        assertThat(store.count(new DeadLetterFilter(group, null, null, booking.toString(), null, null, null, null, true))).isZero();
        assertThat(replayer.releaseStranded()).isZero();
    }

    private ConsumerRecord<byte[], dev.bookingplatform.eventing.consumer.ReceivedEvent> record(UUID booking, long offset,
            BookingRequested event, byte[] value) {
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("eventId", bytes(event.getMetadata().getEventId().toString()));
        byte[] key = bytes(booking.toString());
        return new ConsumerRecord<>(topic, 0, offset, ConsumerRecord.NO_TIMESTAMP,
                org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE, key.length, value.length, key,
                new dev.bookingplatform.eventing.consumer.ReceivedEvent(value, event), headers, java.util.Optional.empty());
    }

    private void apply(BookingRequested event, EventMetadata metadata) {
        if (broken.contains(event.getBookingId())) {
            throw new IllegalStateException("refused for booking " + event.getBookingId());
        }
        jdbc.update("INSERT INTO applied (event_id, booking_id, sequence) VALUES (?, ?, ?)", metadata.getEventId(),
                event.getBookingId(), event.getQuantity());
    }

    private static List<Integer> appliedSequences(UUID booking) {
        return jdbc.queryForList("SELECT sequence FROM applied WHERE booking_id = ? ORDER BY n", Integer.class, booking);
    }

    private List<DeadLetter> awaitOpen(UUID booking, int count) {
        DeadLetterFilter filter = new DeadLetterFilter(group, null, null, booking.toString(), null, null, null, null, true);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(filter) == count);
        List<DeadLetter> open = new ArrayList<>(store.list(filter, 0, 100));
        java.util.Collections.reverse(open);
        return open;
    }

    private void send(BookingRequested event) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes(event.getBookingId().toString()),
                new AvroEventSerializer(registry).serialize(topic, event));
        record.headers().add("eventId", bytes(event.getMetadata().getEventId().toString()));
        record.headers().add("eventType", bytes("BookingRequested"));
        record.headers().add("correlationId", bytes(event.getMetadata().getCorrelationId()));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not produce to " + topic, ex);
        }
    }

    private static void sleepQuietly(int millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
