package dev.bookingplatform.system;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.LineItemKind;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.serde.AvroEventSerializer;
import dev.bookingplatform.localstack.system.BookingSystem;

/**
 * An event booking-service can never apply: an {@code InventoryReserved} for a booking it has never heard of,
 * published as inventory-service would (Confluent wire format, our headers).
 *
 * @param bookingId the unknown booking, also the record's key
 * @param eventId the event's id
 * @param value the record's bytes
 */
record PoisonEvent(UUID bookingId, UUID eventId, byte[] value) {

    static PoisonEvent publish(BookingSystem system, String correlationPrefix) throws Exception {
        UUID unknownBooking = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        InventoryReserved poison = new InventoryReserved(new EventMetadata(eventId, Instant.now(), correlationPrefix + eventId,
                null, "inventory-service"), unknownBooking, "nowhere", Instant.now(), Instant.now().plusSeconds(3600), 1,
                List.of(new LineItem(LineItemKind.RESOURCE, "nowhere", "Nowhere", 1, 100L, 100L, 1, null)), 100L, "EUR",
                Instant.now().plusSeconds(600));
        byte[] value = new AvroEventSerializer(new RestSchemaRegistryClient(SchemaRegistrySettings.of(system.schemaRegistryUrl())))
                .serialize(Topics.INVENTORY_EVENTS, poison);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.INVENTORY_EVENTS, unknownBooking.toString(), value);
            record.headers().add("eventId", eventId.toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add("eventType", "InventoryReserved".getBytes(StandardCharsets.UTF_8));
            record.headers().add("correlationId", (correlationPrefix + eventId).getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        return new PoisonEvent(unknownBooking, eventId, value);
    }
}
