package dev.bookingplatform.system;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.events.Topics;
import dev.bookingplatform.localstack.system.BookingSystem;

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
        PoisonEvent poison = PoisonEvent.publish(system, "dlt-");
        UUID unknownBooking = poison.bookingId();
        UUID eventId = poison.eventId();
        byte[] value = poison.value();

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
