package dev.bookingplatform.eventing.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.eventing.metrics.EventingMeters;
import dev.bookingplatform.eventing.support.OutboxFixture;
import dev.bookingplatform.eventing.support.TestEvents;
import dev.bookingplatform.eventing.support.TopicReader;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.serde.AvroEventDeserializer;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@RealInfrastructure
@Timeout(180)
class OutboxRelayDeliveryIT {

    private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

    private static OutboxFixture outbox;

    private static OutboxRelay relay;

    private static KafkaBroker kafka;

    private static SchemaRegistry registry;

    @BeforeAll
    static void startRelay(PostgresDatabase database, KafkaBroker broker, SchemaRegistry schemaRegistry) {
        kafka = broker;
        registry = schemaRegistry;
        outbox = new OutboxFixture(database, broker, schemaRegistry);
        relay = outbox.startRelay(outbox.relaySettings(), new EventingMeters(METERS));
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    @Test
    void committedEventArrivesWithKeyDecodableValueAndEveryHeader() {
        UUID bookingId = UUID.randomUUID();
        UUID causation = UUID.randomUUID();
        BookingRequested event = TestEvents.bookingRequested(bookingId, 1, "corr-42", causation);

        outbox.inTransaction(writer -> writer.append(bookingId.toString(), event));

        try (TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS, Set.of(bookingId.toString()))) {
            ConsumerRecord<String, byte[]> record = reader.awaitAtLeast(1, Duration.ofSeconds(60)).get(0);

            assertThat(record.topic()).isEqualTo(Topics.BOOKING_EVENTS);
            assertThat(record.key()).isEqualTo(bookingId.toString());
            assertThat(new AvroEventDeserializer(new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url())))
                    .deserialize(record.topic(), record.value())).isEqualTo(event);
            assertThat(header(record, "eventId")).isEqualTo(event.getMetadata().getEventId().toString());
            assertThat(header(record, "eventType")).isEqualTo("BookingRequested");
            assertThat(header(record, "correlationId")).isEqualTo("corr-42");
            assertThat(header(record, "causationId")).isEqualTo(causation.toString());
            assertThat(record.headers().lastHeader("id")).as("router's duplicate id header").isNull();
        }
    }

    @Test
    void eachCommittedBatchIsTimedAndItsRowsLagIncludesIt() {
        Meters before = Meters.read();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID bookingId = UUID.randomUUID();
            keys.add(bookingId.toString());
            outbox.inTransaction(writer -> writer.append(bookingId.toString(), TestEvents.bookingRequested(bookingId, 1)));
        }
        try (TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS, Set.copyOf(keys))) {
            reader.awaitAtLeast(keys.size(), Duration.ofSeconds(60));
        }
        // The meters are recorded right after the commit, the consumer may have read the records first.
        await().atMost(Duration.ofSeconds(10)).until(() -> Meters.read().rows() - before.rows() >= keys.size());
        Meters after = Meters.read();

        long commits = after.commits() - before.commits();
        assertThat(commits).as("batches committed").isPositive();
        assertThat(commits).as("each timed commit carried at least one row").isLessThanOrEqualTo(after.rows() - before.rows());
        // A row's lag runs from its insert to its batch's commit acknowledged, so it holds that commit's whole time.
        assertThat(after.commitNanos() - before.commitNanos()).isPositive()
                .isLessThanOrEqualTo(after.lagNanos() - before.lagNanos());
    }

    /** The relay's two timers, summed over their tags. */
    private record Meters(long commits, double commitNanos, long rows, double lagNanos) {

        static Meters read() {
            Collection<Timer> commit = METERS.find("eventing.relay.commit").timers();
            Collection<Timer> lag = METERS.find("eventing.relay.lag").timers();
            return new Meters(commit.stream().mapToLong(Timer::count).sum(),
                    commit.stream().mapToDouble(timer -> timer.totalTime(TimeUnit.NANOSECONDS)).sum(),
                    lag.stream().mapToLong(Timer::count).sum(), lag.stream().mapToDouble(timer -> timer.totalTime(TimeUnit.NANOSECONDS)).sum());
        }
    }

    @Test
    void rolledBackEventNeverArrives() {
        UUID bookingId = UUID.randomUUID();

        outbox.inRolledBackTransaction(writer -> writer.append(bookingId.toString(), TestEvents.bookingRequested(bookingId, 1)));
        outbox.inTransaction(writer -> writer.append(bookingId.toString(), TestEvents.bookingRequested(bookingId, 2)));

        // Same key, same partition, WAL order: once the later commit arrived, the rollback would have too.
        try (TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS, Set.of(bookingId.toString()))) {
            List<ConsumerRecord<String, byte[]>> records = reader.awaitAtLeast(1, Duration.ofSeconds(60));
            assertThat(reader.poll()).hasSize(1);
            assertThat(records).hasSize(1);
        }
        assertThat(outbox.queryLong("SELECT count(*) FROM outbox_event WHERE aggregate_id = '" + bookingId + "'")).isEqualTo(1);
    }

    @Test
    void writerRefusesToRunOutsideATransaction() {
        UUID bookingId = UUID.randomUUID();

        assertThatIllegalStateException()
                .isThrownBy(() -> outbox.writer().append(bookingId.toString(), TestEvents.bookingRequested(bookingId, 1)))
                .withMessageContaining("BookingRequested")
                .withMessageContaining("needs an active transaction");
        assertThat(outbox.queryLong("SELECT count(*) FROM outbox_event WHERE aggregate_id = '" + bookingId + "'")).isZero();
    }

    @Test
    void relayReportsRunningWhileStreaming() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> relay.status().state() == RelayStatus.State.RUNNING);
        assertThat(relay.status().isHealthy()).isTrue();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        assertThat(header).as("header %s", key).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
