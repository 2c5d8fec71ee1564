package dev.bookingplatform.system;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.LineItemKind;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.serde.AvroEventSerializer;
import dev.bookingplatform.localstack.system.BookingSystem;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 9: booking-service's saga handler fails permanently for one booking (an InventoryReserved for
 * a booking it has never heard of); that record lands on {@code inventory.events.booking-service.DLT} with
 * its original bytes and headers, and every other booking goes on.
 */
@Timeout(180)
class DeadLetterIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void aPermanentlyFailingEventIsDeadLetteredAndOtherBookingsGoOn() throws Exception {
        UUID unknownBooking = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        InventoryReserved poison = new InventoryReserved(new EventMetadata(eventId, Instant.now(), "dlt-" + eventId, null,
                "inventory-service"), unknownBooking, "nowhere", Instant.now(), Instant.now().plusSeconds(3600), 1,
                List.of(new LineItem(LineItemKind.RESOURCE, "nowhere", "Nowhere", 1, 100L, 100L, 1, null)), 100L, "EUR",
                Instant.now().plusSeconds(600));
        byte[] value = new AvroEventSerializer(new RestSchemaRegistryClient(SchemaRegistrySettings.of(system.schemaRegistryUrl())))
                .serialize(Topics.INVENTORY_EVENTS, poison);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.INVENTORY_EVENTS, unknownBooking.toString(), value);
            record.headers().add(new RecordHeader("eventId", eventId.toString().getBytes(UTF_8)));
            record.headers().add(new RecordHeader("eventType", "InventoryReserved".getBytes(UTF_8)));
            record.headers().add(new RecordHeader("correlationId", ("dlt-" + eventId).getBytes(UTF_8)));
            producer.send(record).get();
        }

        String resource = client.createResource("after-poison", 3, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = "jo+" + UUID.randomUUID() + "@example.com";
        UUID healthy = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, ""));
        client.pressPay(client.awaitCheckoutSession(healthy));
        client.awaitStatus(healthy, "CONFIRMED");

        String deadLetters = Topics.INVENTORY_EVENTS + ".booking-service.DLT";
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetter(deadLetters, unknownBooking) != null);
        ConsumerRecord<String, byte[]> dead = deadLetter(deadLetters, unknownBooking);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(TopicProbe.header(dead, "eventId")).isEqualTo(eventId.toString());
        assertThat(TopicProbe.header(dead, "eventType")).isEqualTo("InventoryReserved");
        assertThat(TopicProbe.header(dead, "correlationId")).isEqualTo("dlt-" + eventId);
        assertThat(TopicProbe.header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.INVENTORY_EVENTS);
        assertThat(TopicProbe.header(dead, "kafka_dlt-exception-message")).contains(unknownBooking.toString());
        assertThat(TopicProbe.header(dead, "attempts")).isEqualTo("1");
        assertThat(PlatformClient.jdbc(system.booking()).sql("SELECT count(*) FROM booking WHERE id = ?").param(unknownBooking)
                .query(Long.class).single()).isZero();
    }

    private ConsumerRecord<String, byte[]> deadLetter(String topic, UUID key) {
        try {
            return TopicProbe.records(system.kafkaBootstrapServers(), topic).stream()
                    .filter(record -> key.toString().equals(record.key())).findFirst().orElse(null);
        }
        catch (RuntimeException topicNotThereYet) {
            return null;
        }
    }
}
