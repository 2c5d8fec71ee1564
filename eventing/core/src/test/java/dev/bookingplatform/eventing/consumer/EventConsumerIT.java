package dev.bookingplatform.eventing.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.deadletter.DeadLetterErrorHandler;
import dev.bookingplatform.eventing.deadletter.DeadLetterIndex;
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

/** Handlers on a real broker and database: inbox, retries, dead letters, correlation. */
@RealInfrastructure
@Timeout(180)
class EventConsumerIT {

    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(200), 3.0, Duration.ofSeconds(5), Duration.ZERO);

    private static DataSource dataSource;

    private static JdbcTemplate jdbc;

    private static SchemaRegistryClient registry;

    private static String bootstrap;

    private static String registryUrl;

    private final String topic = "consumer-test-" + UUID.randomUUID() + ".events";

    private final String group = "group-" + UUID.randomUUID();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void setUp(PostgresDatabase database, KafkaBroker kafka, SchemaRegistry schemaRegistry) {
        dataSource = database.dataSource();
        EventingSchema.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE applied (event_id uuid NOT NULL, booking_id uuid NOT NULL, caused_event jsonb)");
        registry = new RestSchemaRegistryClient(SchemaRegistrySettings.of(schemaRegistry.url()));
        registryUrl = schemaRegistry.url();
        bootstrap = kafka.bootstrapServers();
    }

    @AfterEach
    void closeConsumers() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void transientFailureTwiceIsAppliedOnceWithGrowingDelays() {
        List<Long> attemptTimes = Collections.synchronizedList(new ArrayList<>());
        startConsumer((event, metadata) -> {
            attemptTimes.add(System.nanoTime());
            if (attemptTimes.size() <= 2) {
                throw new IllegalStateException("database briefly unavailable");
            }
            apply(event, metadata);
        });
        BookingRequested event = event();

        send(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> appliedCount(event) == 1);
        assertThat(attemptTimes).hasSize(3);
        long firstGap = attemptTimes.get(1) - attemptTimes.get(0);
        long secondGap = attemptTimes.get(2) - attemptTimes.get(1);
        assertThat(Duration.ofNanos(firstGap)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(secondGap).as("back-off grows").isGreaterThan(firstGap);
    }

    @Test
    void aDatabaseOutageLongerThanTheAttemptLimitIsWaitedOutNotDeadLettered() {
        AtomicInteger attempts = new AtomicInteger();
        startConsumer((event, metadata) -> {
            if (attempts.incrementAndGet() <= 5) {
                throw new org.springframework.jdbc.CannotGetJdbcConnectionException("database away",
                        new java.sql.SQLException("Connection refused", "08001"));
            }
            apply(event, metadata);
        });
        BookingRequested event = event();

        send(event);

        // FAST allows 3 deliveries; an outage is not the event's fault, so it is retried past them until it passes.
        await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount(event) == 1);
        assertThat(attempts).hasValue(6);
        EventConsumer consumer = (EventConsumer) closeables.get(closeables.size() - 1);
        // The interceptor hears of the success after the handler's commit, so a moment after the row is visible.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(consumer.stuckPartitions().longerThan(Duration.ZERO)).as("the partition moved on").isEmpty());
    }

    @Test
    void aPartitionRetryingOneRecordTooLongIsReportedWithTheRecordsCoordinates() {
        AtomicInteger calls = new AtomicInteger();
        // A failure taken for an outage that never ends: retried in place for good, so it must at least be seen.
        startConsumer((event, metadata) -> {
            calls.incrementAndGet();
            throw new org.springframework.dao.TransientDataAccessResourceException("misclassified forever");
        });
        EventConsumer consumer = (EventConsumer) closeables.get(closeables.size() - 1);
        BookingRequested event = event();
        RecordMetadata sent = send(event);

        await().atMost(Duration.ofSeconds(60)).until(() -> !consumer.stuckPartitions().longerThan(Duration.ofSeconds(2)).isEmpty());
        StuckPartitions.Stuck stuck = consumer.stuckPartitions().longerThan(Duration.ofSeconds(2)).get(0);
        assertThat(stuck.topic()).isEqualTo(sent.topic());
        assertThat(stuck.partition()).isEqualTo(sent.partition());
        assertThat(stuck.offset()).isEqualTo(sent.offset());
        assertThat(stuck.attempts()).isGreaterThan(1).isLessThanOrEqualTo(calls.get());
        assertThat(stuck.lastError()).contains("misclassified forever");
        assertThat(consumer.stuckPartitions().longerThan(Duration.ofMinutes(5))).isEmpty();
        assertThat(committedOffset(sent)).isLessThanOrEqualTo(sent.offset());
    }

    @Test
    void theHandlerRunsInTheTraceTheEventWasWrittenIn() {
        // By booking: the two events have different keys, so partitions and the order of handling differ.
        Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
        startConsumer((event, metadata) -> seen.put(((BookingRequested) event).getBookingId().toString(),
                String.valueOf(dev.bookingplatform.eventing.tracing.TraceContext.currentTraceparent())));
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
        BookingRequested traced = event();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes(traced.getBookingId().toString()), serialize(traced));
        record.headers().add("traceparent", bytes(traceparent));
        BookingRequested untraced = event();

        produce(record);
        send(untraced);

        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 2);
        // What the handler appends to the outbox carries the same trace; the other event, with none, sees none.
        assertThat(seen).containsEntry(traced.getBookingId().toString(), traceparent)
                .containsEntry(untraced.getBookingId().toString(), "null");
    }

    @Test
    void aRegistryOutageOnAColdCacheIsWaitedOutAndNothingIsDeadLettered() {
        Duration outage = Duration.ofSeconds(Integer.getInteger("bookingplatform.chaos.scale", 1) > 1 ? 60 : 15);
        java.net.URI url = java.net.URI.create(registryUrl);
        try (dev.bookingplatform.testsupport.net.TcpProxy proxy = dev.bookingplatform.testsupport.net.TcpProxy.to(url.getHost(),
                url.getPort())) {
            List<BookingRequested> backlog = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                backlog.add(event());
                send(backlog.get(i));
            }
            proxy.cut();
            SchemaRegistryClient cold = new RestSchemaRegistryClient(SchemaRegistrySettings.of(url.getScheme() + "://127.0.0.1:"
                    + proxy.port() + url.getPath()));
            startConsumer(this::apply, cold);

            await().during(outage).atMost(outage.plusSeconds(15))
                    .until(() -> backlog.stream().allMatch(event -> appliedCount(event) == 0));
            proxy.restore();

            await().atMost(Duration.ofSeconds(60)).until(() -> backlog.stream().allMatch(event -> appliedCount(event) == 1));
        }
    }

    @Test
    void permanentFailureGoesToTheDeadLetterTopicAfterTheConfiguredAttemptsWithOriginalBytesAndHeaders() {
        AtomicInteger attempts = new AtomicInteger();
        startConsumer((event, metadata) -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("downstream keeps failing for booking " + event.getBookingId());
        });
        BookingRequested event = event();

        RecordMetadata sent = send(event);

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter();
        assertThat(attempts).hasValue(3);
        assertThat(dead.partition()).isEqualTo(sent.partition());
        assertThat(dead.key()).isEqualTo(event.getBookingId().toString());
        assertThat(dead.value()).isEqualTo(serialize(event));
        assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(topic);
        assertThat(header(dead, "kafka_dlt-original-consumer-group")).isEqualTo(group);
        assertThat(header(dead, "kafka_dlt-exception-message")).contains("downstream keeps failing");
        assertThat(dead.headers().lastHeader("kafka_dlt-original-offset")).isNotNull();
        assertThat(dead.headers().lastHeader("kafka_dlt-exception-stacktrace")).isNotNull();
        assertThat(header(dead, "eventId")).isEqualTo(event.getMetadata().getEventId().toString());
        assertThat(header(dead, "eventType")).isEqualTo("BookingRequested");
        assertThat(header(dead, "correlationId")).isEqualTo(event.getMetadata().getCorrelationId());
        assertThat(header(dead, DeadLetterErrorHandler.ATTEMPTS_HEADER)).isEqualTo("3");
        await().atMost(Duration.ofSeconds(15)).until(() -> committedOffset(sent) == sent.offset() + 1);
    }

    @Test
    void nonRetryableFailureGoesToTheDeadLetterTopicAtTheFirstFailure() {
        AtomicInteger attempts = new AtomicInteger();
        startConsumer((event, metadata) -> {
            attempts.incrementAndGet();
            throw new NonRetryableEventException("BookingRequested " + metadata.getEventId() + " is invalid");
        });

        send(event());

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter();
        assertThat(attempts).hasValue(1);
        assertThat(header(dead, DeadLetterErrorHandler.ATTEMPTS_HEADER)).isEqualTo("1");
        assertThat(header(dead, "kafka_dlt-exception-cause-fqcn")).isEqualTo(NonRetryableEventException.class.getName());
    }

    @Test
    void bytesNotInOurWireFormatGoToTheDeadLetterTopicAndTheConsumerGoesOn() {
        startConsumer(this::apply);
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        BookingRequested next = event();

        // Another key: a later record of the garbage's own key would be parked behind it (DeadLetterReplayIT).
        sendRaw(UUID.randomUUID().toString(), garbage);
        send(next);

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter();
        assertThat(dead.value()).isEqualTo(garbage);
        // spring-kafka says "failed to deserialize"; our reason is the cause, in the stack trace header.
        assertThat(header(dead, "kafka_dlt-exception-stacktrace")).contains("not the Confluent wire-format magic byte");
        await().atMost(Duration.ofSeconds(30)).until(() -> appliedCount(next) == 1);
        // Indexed, with the bytes to replay once a consumer can read them (spring-kafka's binary exception header,
        // which PostgreSQL cannot take as text, once failed the index row and so the recovery, forever).
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList("SELECT record_value FROM dead_letter"
                + " WHERE consumer_group = ?", byte[].class, group).stream().anyMatch(value -> java.util.Arrays.equals(value, garbage)));
        assertThat(jdbc.queryForObject("SELECT record_headers::text FROM dead_letter WHERE consumer_group = ?", String.class, group))
                .doesNotContain("springDeserializerException");
    }

    @Test
    void unwritableDeadLetterTopicKeepsTheOffsetUncommittedAndTheRecordComesBack() throws Exception {
        String deadLetterTopic = Topics.deadLetterTopic(topic, group);
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1),
                    new NewTopic(deadLetterTopic, 1, (short) 1).configs(Map.of("max.message.bytes", "64"))))
                    .all().get(30, TimeUnit.SECONDS);
            AtomicInteger attempts = new AtomicInteger();
            startConsumer((event, metadata) -> {
                attempts.incrementAndGet();
                throw new NonRetryableEventException("always rejected");
            });

            RecordMetadata sent = send(event());

            await().atMost(Duration.ofSeconds(60)).until(() -> attempts.get() >= 2);
            assertThat(committedOffset(sent)).as("not committed while the dead letter cannot be written")
                    .isLessThanOrEqualTo(sent.offset());

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, deadLetterTopic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "1048576"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);

            assertThat(awaitDeadLetter().value()).isNotEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> committedOffset(sent) == sent.offset() + 1);
        }
    }

    @Test
    void sameEventDeliveredTwiceChangesStateOnce() {
        startConsumer(this::apply);
        BookingRequested event = event();
        // Another event of the same booking: same key, same partition, so once it is applied both copies were seen.
        // (A marker of another booking could be applied first, from another partition: CI once saw 0 here.)
        BookingRequested marker = TestEvents.bookingRequested(event.getBookingId(), 1);

        send(event);
        send(event);
        send(marker);

        await().atMost(Duration.ofSeconds(30)).until(() -> appliedCount(marker) == 1);
        assertThat(appliedCount(event)).isEqualTo(1);
    }

    @Test
    void handlerSeesCorrelationAndWhatItAppendsIsCausedByTheHandledEvent() {
        EventMetadataFactory metadataFactory = new EventMetadataFactory("test-service", java.time.Clock.systemUTC());
        startConsumer((event, metadata) -> {
            EventMetadata caused = metadataFactory.next();
            jdbc.update("INSERT INTO applied (event_id, booking_id, caused_event) VALUES (?, ?, ?::jsonb)",
                    metadata.getEventId(), event.getBookingId(),
                    "{\"correlationId\":\"" + caused.getCorrelationId() + "\",\"causationId\":\"" + caused.getCausationId()
                            + "\",\"mdc\":\"" + org.slf4j.MDC.get("correlationId") + "\"}");
        });
        BookingRequested event = event();

        send(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> appliedCount(event) == 1);
        Map<String, Object> row = jdbc.queryForMap("SELECT caused_event->>'correlationId' AS correlation,"
                + " caused_event->>'causationId' AS causation, caused_event->>'mdc' AS mdc FROM applied WHERE event_id = ?",
                event.getMetadata().getEventId());
        assertThat(row.get("correlation")).isEqualTo(event.getMetadata().getCorrelationId());
        assertThat(row.get("mdc")).isEqualTo(event.getMetadata().getCorrelationId());
        assertThat(row.get("causation")).isEqualTo(event.getMetadata().getEventId().toString());
    }

    private void startConsumer(EventHandler<BookingRequested> handler) {
        startConsumer(handler, registry);
    }

    private void startConsumer(EventHandler<BookingRequested> handler, SchemaRegistryClient decodingRegistry) {
        HandlerRegistration<BookingRequested> registration = new HandlerRegistration<>(topic, BookingRequested.class,
                handler, FAST);
        IdempotentEventDispatcher dispatcher = new IdempotentEventDispatcher(group, List.of(registration),
                new InboxGuard(dataSource), new DeadLetterIndex(dataSource), new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        EventConsumer consumer = new EventConsumer(new EventConsumerSettings(bootstrap, group, 1), List.of(registration),
                dispatcher, decodingRegistry);
        consumer.start();
        closeables.add(consumer);
    }

    private void apply(BookingRequested event, EventMetadata metadata) {
        jdbc.update("INSERT INTO applied (event_id, booking_id) VALUES (?, ?)", metadata.getEventId(), event.getBookingId());
    }

    private static long appliedCount(BookingRequested event) {
        return jdbc.queryForObject("SELECT count(*) FROM applied WHERE event_id = ?", Long.class,
                event.getMetadata().getEventId());
    }

    private static BookingRequested event() {
        return TestEvents.bookingRequested(UUID.randomUUID(), 1);
    }

    private byte[] serialize(BookingRequested event) {
        return new AvroEventSerializer(registry).serialize(topic, event);
    }

    private RecordMetadata send(BookingRequested event) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes(event.getBookingId().toString()), serialize(event));
        record.headers().add("eventId", bytes(event.getMetadata().getEventId().toString()));
        record.headers().add("eventType", bytes("BookingRequested"));
        record.headers().add("correlationId", bytes(event.getMetadata().getCorrelationId()));
        return produce(record);
    }

    private RecordMetadata sendRaw(String key, byte[] value) {
        return produce(new ProducerRecord<>(topic, bytes(key), value));
    }

    private static RecordMetadata produce(ProducerRecord<byte[], byte[]> record) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not produce to " + record.topic(), ex);
        }
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter() {
        try (TopicReader reader = new TopicReader(bootstrap, Topics.deadLetterTopic(topic, group), record -> true)) {
            return reader.awaitAtLeast(1, Duration.ofSeconds(60)).get(0);
        }
    }

    private long committedOffset(RecordMetadata sent) {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata committed = offsets.get(partition);
            return committed == null ? -1 : committed.offset();
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not read the offsets of " + group, ex);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        assertThat(header).as("header %s", key).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
