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

/** Scenario 5: a confirmed booking cancelled by the customer is refunded exactly once. */
@Timeout(180)
class CancellationIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void cancellingAConfirmedBookingRefundsOnceAndReleasesTheCapacity() throws Exception {
        String resource = client.createResource("walking-tour", 10, 3_500, PlatformClient.HOLD_SECONDS, Map.of());
        String email = "dan+" + UUID.randomUUID() + "@example.com";
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 3, ""));
        client.pressPay(client.awaitCheckoutSession(id));
        client.awaitStatus(id, "CONFIRMED");
        await().until(() -> client.mailsTo(email).size() == 1);

        assertThat(client.cancel(id).statusCode()).isEqualTo(202);
        assertThat(client.cancel(id).statusCode()).as("a second cancel is the same request").isIn(202, 409);

        JsonNode cancelled = client.awaitStatus(id, "CANCELLED");
        assertThat(cancelled.get("refundId").isString()).isTrue();
        String paymentIntent = PlatformClient.jdbc(system.payment())
                .sql("SELECT payment_intent_id FROM payment_session WHERE booking_id = ?").param(id).query(String.class).single();
        assertThat(system.stripe().refunds()).filteredOn(refund -> refund.paymentIntent().equals(paymentIntent))
                .singleElement().satisfies(refund -> assertThat(refund.amount()).isEqualTo(3 * 3_500));
        await().until(() -> client.taken(resource) == 0);
        await().until(() -> client.mailsTo(email).size() == 2);
        assertThat(client.mailsTo(email).get(1).getSubject()).startsWith("Refund of EUR 105.00");
        assertThat(TopicProbe.eventTypes(system.kafkaBootstrapServers(), Topics.BOOKING_EVENTS, id.toString()))
                .containsExactly("BookingRequested", "PaymentRequested", "BookingPaid", "BookingConfirmed",
                        "BookingCancellationRequested", "BookingCancelled");
        assertThat(TopicProbe.eventTypes(system.kafkaBootstrapServers(), Topics.PAYMENT_EVENTS, id.toString()))
                .containsExactly("PaymentSessionCreated", "PaymentSucceeded", "PaymentRefunded");
    }
}
