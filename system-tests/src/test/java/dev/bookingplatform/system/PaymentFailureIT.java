package dev.bookingplatform.system;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.events.Topics;
import dev.bookingplatform.localstack.system.BookingSystem;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scenarios 3 and 4: a declined card, and a customer who never pays before the hold expires. */
@Timeout(180)
class PaymentFailureIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void declinedPaymentCancelsTheBookingAndGivesTheCapacityBack() throws Exception {
        String resource = client.createResource("kayak", 2, 4_500, 600, Map.of());
        String email = "bob+" + UUID.randomUUID() + "@example.com";
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 2, ""));
        String session = client.awaitCheckoutSession(id);
        assertThat(client.taken(resource)).isEqualTo(2);

        assertThat(client.pressDecline(session).statusCode()).isEqualTo(200);

        JsonNode cancelled = client.awaitStatus(id, "CANCELLED");
        assertThat(cancelled.get("reasonCode").asString()).isEqualTo("PAYMENT_FAILED");
        await().until(() -> client.taken(resource) == 0);
        await().until(() -> client.mailsTo(email).size() == 1);
        assertThat(client.mailsTo(email).get(0).getSubject()).startsWith("Booking cancelled");
        await().until(() -> "expired".equals(system.stripe().session(session).orElseThrow().status()));
        assertThat(system.stripe().refunds()).noneMatch(refund -> session.equals(refund.paymentIntent()));
        assertThat(TopicProbe.eventTypes(system.kafkaBootstrapServers(), Topics.BOOKING_EVENTS, id.toString()))
                .containsExactly("BookingRequested", "PaymentRequested", "BookingCancelled");
    }

    @Test
    void unpaidBookingIsCancelledWhenItsHoldExpiresAndTheCheckoutSessionIsExpired() throws Exception {
        String resource = client.createResource("quick-hold", 1, 1_000, 3, Map.of());
        String email = "carol+" + UUID.randomUUID() + "@example.com";
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, ""));
        String session = client.awaitCheckoutSession(id);

        JsonNode cancelled = client.awaitStatus(id, "CANCELLED");
        assertThat(cancelled.get("reasonCode").asString()).isEqualTo("HOLD_EXPIRED");
        assertThat(client.taken(resource)).isZero();
        await().until(() -> "expired".equals(system.stripe().session(session).orElseThrow().status()));
        await().until(() -> "EXPIRED".equals(PlatformClient.jdbc(system.payment())
                .sql("SELECT status FROM payment_session WHERE booking_id = ?").param(id).query(String.class).single()));
        await().until(() -> client.mailsTo(email).size() == 1);
        assertThat(client.mailsTo(email).get(0).getSubject()).startsWith("Booking cancelled");
        assertThat(TopicProbe.eventTypes(system.kafkaBootstrapServers(), Topics.INVENTORY_EVENTS, id.toString()))
                .containsExactly("InventoryReserved", "InventoryHoldExpired");
        assertThat(PlatformClient.jdbc(system.inventory()).sql("SELECT status FROM hold WHERE booking_id = ?").param(id)
                .query(String.class).single()).isEqualTo("RELEASED");
    }
}
