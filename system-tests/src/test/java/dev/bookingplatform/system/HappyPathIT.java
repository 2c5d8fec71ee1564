package dev.bookingplatform.system;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.events.Topics;
import dev.bookingplatform.localstack.system.BookingSystem;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scenario 1: booked, paid, confirmed, one receipt; prices are those at reservation time. */
@Timeout(180)
class HappyPathIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void paidBookingIsConfirmedWithOneReceiptAtTheReservationTimePrices() throws Exception {
        String resource = client.createResource("harbour-room", 3, 12_000, PlatformClient.HOLD_SECONDS, Map.of("breakfast", 1_500L));
        String email = "ada+" + UUID.randomUUID() + "@example.com";
        Instant slot = PlatformClient.freshSlot();

        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, slot, 2,
                "{\"addOnId\":\"breakfast\",\"quantity\":2}"));
        String session = client.awaitCheckoutSession(id);

        // The operator raises both prices after the reservation: the booking must not notice.
        JsonNode current = PlatformClient.JSON.readTree(client.get(system.inventory().url() + "/api/resources/" + resource).body());
        var raised = client.put(system.inventory().url() + "/api/resources/" + resource, "\"" + current.get("version").asLong() + "\"",
                """
                {"name":"%s","capacityPerUnit":3,"unitPriceMinor":99000,"currency":"EUR","holdDurationSeconds":2400,
                 "addOns":[{"id":"breakfast","name":"breakfast","unitPriceMinor":9900}]}""".formatted(resource));
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);

        assertThat(client.pressPay(session).statusCode()).isEqualTo(200);
        JsonNode confirmed = client.awaitStatus(id, "CONFIRMED");

        long expectedTotal = 2 * 12_000 + 2 * 1_500;
        assertThat(confirmed.get("totalMinor").asLong()).isEqualTo(expectedTotal);
        assertThat(confirmed.get("lineItems").get(0).get("unitPriceMinor").asLong()).isEqualTo(12_000);
        assertThat(confirmed.get("lineItems").get(1).get("unitPriceMinor").asLong()).isEqualTo(1_500);
        assertThat(system.stripe().session(session).orElseThrow().amountTotal()).isEqualTo(expectedTotal);

        await().until(() -> client.mailsTo(email).size() == 1);
        MimeMessage receipt = client.mailsTo(email).get(0);
        assertThat(receipt.getSubject()).startsWith("Booking confirmed");
        assertThat(receipt.getContent().toString()).contains("Total paid: EUR 270.00").contains("EUR 120.00").contains("EUR 15.00");

        await().until(() -> "CONFIRMED".equals(PlatformClient.jdbc(system.inventory())
                .sql("SELECT status FROM hold WHERE booking_id = ?").param(id).query(String.class).single()));
        assertThat(client.taken(resource)).isEqualTo(2);
        assertThat(PlatformClient.jdbc(system.payment()).sql("SELECT status FROM payment_session WHERE booking_id = ?")
                .param(id).query(String.class).single()).isEqualTo("COMPLETED");
        assertThat(PlatformClient.jdbc(system.notification()).sql("SELECT count(*) FROM notification_log WHERE booking_id = ?")
                .param(id).query(Long.class).single()).isEqualTo(1);
        assertThat(TopicProbe.eventTypes(system.kafkaBootstrapServers(), Topics.BOOKING_EVENTS, id.toString()))
                .containsExactly("BookingRequested", "PaymentRequested", "BookingPaid", "BookingConfirmed");
        assertThat(TopicProbe.eventTypes(system.kafkaBootstrapServers(), Topics.INVENTORY_EVENTS, id.toString()))
                .containsExactly("InventoryReserved", "HoldConfirmed");
        assertThat(TopicProbe.eventTypes(system.kafkaBootstrapServers(), Topics.PAYMENT_EVENTS, id.toString()))
                .containsExactly("PaymentSessionCreated", "PaymentSucceeded");
    }
}
