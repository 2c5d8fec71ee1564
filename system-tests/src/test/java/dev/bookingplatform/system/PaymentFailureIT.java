package dev.bookingplatform.system;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.events.Topics;
import dev.bookingplatform.localstack.system.BookingSystem;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A declined card, and a customer who never pays before the hold runs out. A decline ends nothing: Checkout
 * keeps the session open for another card, and the booking waits for it.
 */
@Timeout(180)
class PaymentFailureIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void aDeclinedCardThenAnotherCardConfirmsOnceWithoutARefund() throws Exception {
        String resource = client.createResource("kayak", 2, 4_500, PlatformClient.HOLD_SECONDS, Map.of());
        String email = "bob+" + UUID.randomUUID() + "@example.com";
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 2, ""));
        String session = client.awaitCheckoutSession(id);

        assertThat(client.pressDecline(session).statusCode()).isEqualTo(200);
        await().until(() -> client.booking(id).get("payment").get("declinedAttempts").asInt() == 1);
        JsonNode waiting = client.booking(id);
        assertThat(waiting.get("status").asString()).isEqualTo("AWAITING_PAYMENT");
        assertThat(waiting.get("payment").get("lastDeclineReason").asString()).contains("declined");
        assertThat(waiting.get("checkoutUrl").isString()).as("the session stays open for another card").isTrue();
        assertThat(client.taken(resource)).isEqualTo(2);

        assertThat(client.pressPay(session).statusCode()).isEqualTo(200);
        client.awaitStatus(id, "CONFIRMED");
        await().until(() -> client.mailsTo(email).size() == 1);
        assertThat(client.mailsTo(email).get(0).getSubject()).startsWith("Booking confirmed");
        String paymentIntent = system.stripe().session(session).orElseThrow().paymentIntent();
        assertThat(system.stripe().refunds()).noneMatch(refund -> refund.paymentIntent().equals(paymentIntent));
        assertThat(TopicProbe.eventTypes(system.kafkaBootstrapServers(), Topics.PAYMENT_EVENTS, id.toString()))
                .containsExactly("PaymentSessionCreated", "PaymentDeclined", "PaymentSucceeded");
        assertThat(TopicProbe.eventTypes(system.kafkaBootstrapServers(), Topics.BOOKING_EVENTS, id.toString()))
                .containsExactly("BookingRequested", "PaymentRequested", "BookingPaid", "BookingConfirmed");
    }

    @Test
    void anUnpaidBookingExpiresWithItsHoldAndItsSessionIsClosed() throws Exception {
        String resource = client.createResource("quick-hold", 1, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = "carol+" + UUID.randomUUID() + "@example.com";
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, ""));
        String session = client.awaitCheckoutSession(id);
        assertThat(system.stripe().session(session).orElseThrow().expiresAt())
                .as("the session never outlives the hold")
                .isBeforeOrEqualTo(java.time.Instant.parse(client.booking(id).get("payBy").asString()));

        TheSystem.clock().advance(Duration.ofSeconds(PlatformClient.HOLD_SECONDS + 60));

        JsonNode expired = client.awaitStatus(id, "EXPIRED");
        assertThat(expired.get("reasonCode").asString()).isEqualTo("HOLD_EXPIRED");
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
