package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.stripe.Stripe;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.stripesim.WebhookSigner;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenario 6: the webhook endpoint under duplicates, forgeries, replays, junk and reordering. */
@Timeout(180)
class WebhookIT {

    static final String SECRET = "whsec_local_simulator";

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    UUID bookingId;

    String sessionId;

    @BeforeEach
    void bookingAwaitingPayment() {
        String resource = client.createResource("webhook-room", 5, 8_000, PlatformClient.HOLD_SECONDS, Map.of());
        bookingId = client.bookOk(PlatformClient.bookingJson("eve+" + UUID.randomUUID() + "@example.com", resource,
                PlatformClient.freshSlot(), 1, ""));
        sessionId = client.awaitCheckoutSession(bookingId);
    }

    @Test
    void theSameEventFiveTimesConcurrentlyIsProcessedOnce() throws Exception {
        String event = sessionEvent("evt_" + UUID.randomUUID(), "checkout.session.completed", "complete", "pi_" + UUID.randomUUID());
        PrometheusScrape before = ObservabilityIT.scrape(system.payment());
        List<HttpResponse<String>> responses;
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<CompletableFuture<HttpResponse<String>>> deliveries = java.util.stream.IntStream.range(0, 5)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> deliver(event, now()), pool)).toList();
            responses = deliveries.stream().map(CompletableFuture::join).toList();
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
        assertThat(responses.stream().map(response -> PlatformClient.JSON.readTree(response.body()).get("outcome").asString()))
                .containsExactlyInAnyOrder("PROCESSED", "DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE");
        assertThat(outboxEvents("PaymentSucceeded")).isEqualTo(1);
        String id = PlatformClient.JSON.readTree(event).get("id").asString();
        assertThat(PlatformClient.jdbc(system.payment()).sql("SELECT status || '/' || deliveries FROM stripe_webhook_event WHERE stripe_event_id = ?")
                .param(id).query(String.class).single()).isEqualTo("PROCESSED/5");
        PrometheusScrape after = ObservabilityIT.scrape(system.payment());
        assertThat(webhooks(after, "PROCESSED", "checkout.session.completed") - webhooks(before, "PROCESSED", "checkout.session.completed"))
                .as("payment_webhooks_total{outcome=PROCESSED}").isEqualTo(1);
        assertThat(webhooks(after, "DUPLICATE", "checkout.session.completed") - webhooks(before, "DUPLICATE", "checkout.session.completed"))
                .as("payment_webhooks_total{outcome=DUPLICATE}").isEqualTo(4);
        client.awaitStatus(bookingId, "CONFIRMED");
    }

    @Test
    void expiredArrivingAfterCompletedLeavesTheBookingConfirmed() {
        assertThat(deliver(sessionEvent("evt_" + UUID.randomUUID(), "checkout.session.completed", "complete", "pi_late"), now())
                .statusCode()).isEqualTo(200);
        client.awaitStatus(bookingId, "CONFIRMED");

        HttpResponse<String> late = deliver(sessionEvent("evt_" + UUID.randomUUID(), "checkout.session.expired", "expired", null), now());

        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(outboxEvents("PaymentFailed")).isZero();
        assertThat(client.booking(bookingId).get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(PlatformClient.jdbc(system.payment()).sql("SELECT status FROM payment_session WHERE booking_id = ?")
                .param(bookingId).query(String.class).single()).isEqualTo("COMPLETED");
    }

    @Test
    void aBadSignatureIs400AndNothingIsStored() {
        String id = "evt_" + UUID.randomUUID();
        String event = sessionEvent(id, "checkout.session.completed", "complete", "pi_forged");
        PrometheusScrape before = ObservabilityIT.scrape(system.payment());
        HttpResponse<String> response = post(event, WebhookSigner.header(event, now(), "whsec_someone_else"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        assertThat(storedRecords(id)).isZero();
        assertThat(outboxEvents("PaymentSucceeded")).isZero();
        assertThat(webhooks(ObservabilityIT.scrape(system.payment()), "INVALID_SIGNATURE", "unknown")
                - webhooks(before, "INVALID_SIGNATURE", "unknown")).as("payment_webhooks_total{outcome=INVALID_SIGNATURE}").isEqualTo(1);
    }

    @Test
    void aSignatureOlderThanTheToleranceIs400() {
        String id = "evt_" + UUID.randomUUID();
        HttpResponse<String> response = deliver(sessionEvent(id, "checkout.session.completed", "complete", "pi_replayed"),
                now() - 301);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("within the allowed age");
        assertThat(storedRecords(id)).isZero();
    }

    @Test
    void aSecondSignatureFromASecretRotationIsAccepted() {
        String event = sessionEvent("evt_" + UUID.randomUUID(), "checkout.session.completed", "complete", "pi_rotated");
        HttpResponse<String> response = post(event, WebhookSigner.header(event, now(), List.of("whsec_new_not_yet_known", SECRET)));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void anUnhandledTypeIsAcknowledgedAndIgnored() {
        String id = "evt_" + UUID.randomUUID();
        String event = """
                {"id":"%s","object":"event","api_version":"%s","created":%d,"type":"customer.created",
                 "data":{"object":{"id":"cus_1","object":"customer"}}}""".formatted(id, Stripe.API_VERSION, now());
        HttpResponse<String> response = deliver(event, now());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("IGNORED");
        assertThat(PlatformClient.jdbc(system.payment()).sql("SELECT status FROM stripe_webhook_event WHERE stripe_event_id = ?")
                .param(id).query(String.class).single()).isEqualTo("IGNORED");
    }

    @Test
    void aDeliveryAcceptingOnlyXmlIsStillAcknowledged() {
        // Stripe sends "Accept: */*; q=0.5, application/xml"; a proxy that keeps only the last type must not turn an
        // applied event into a 406, which Stripe would deliver again for days.
        String id = "evt_" + UUID.randomUUID();
        String event = sessionEvent(id, "checkout.session.completed", "complete", "pi_" + UUID.randomUUID());
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(system.payment().url() + "/webhooks/stripe"))
                .header("Content-Type", "application/json").header("Accept", "application/xml")
                .header("Stripe-Signature", WebhookSigner.header(event, now(), SECRET))
                .POST(HttpRequest.BodyPublishers.ofString(event)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("PROCESSED");
        client.awaitStatus(bookingId, "CONFIRMED");
    }

    @Test
    void aSignedButMalformedBodyIs400AndRecordedFailed() {
        String id = "evt_" + UUID.randomUUID();
        String noBooking = """
                {"id":"%s","object":"event","api_version":"%s","created":%d,"type":"checkout.session.completed",
                 "data":{"object":{"id":"cs_unknown","object":"checkout.session"}}}""".formatted(id, Stripe.API_VERSION, now());
        PrometheusScrape before = ObservabilityIT.scrape(system.payment());
        HttpResponse<String> response = deliver(noBooking, now());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("metadata.bookingId").doesNotContain("at dev.");
        assertThat(PlatformClient.jdbc(system.payment()).sql("SELECT status FROM stripe_webhook_event WHERE stripe_event_id = ?")
                .param(id).query(String.class).single()).isEqualTo("FAILED");

        HttpResponse<String> notJson = deliver("{\"id\": \"evt_broken\", truncated", now());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        PrometheusScrape after = ObservabilityIT.scrape(system.payment());
        assertThat(webhooks(after, "FAILED", "checkout.session.completed") - webhooks(before, "FAILED", "checkout.session.completed"))
                .as("payment_webhooks_total{outcome=FAILED}, signed but unusable").isEqualTo(1);
        assertThat(webhooks(after, "FAILED", "unknown") - webhooks(before, "FAILED", "unknown"))
                .as("payment_webhooks_total{outcome=FAILED}, not even JSON").isEqualTo(1);
    }

    private static double webhooks(PrometheusScrape scrape, String outcome, String type) {
        return scrape.sum("payment_webhooks_total", Map.of("outcome", outcome, "type", type));
    }

    private String sessionEvent(String eventId, String type, String status, String paymentIntent) {
        return """
                {"id":"%s","object":"event","api_version":"%s","created":%d,"type":"%s","livemode":false,
                 "data":{"object":{"id":"%s","object":"checkout.session","status":"%s","payment_status":"%s",
                   "amount_total":8000,"currency":"eur","payment_intent":%s,"metadata":{"bookingId":"%s"}}}}"""
                .formatted(eventId, Stripe.API_VERSION, now(), type, sessionId, status,
                        "complete".equals(status) ? "paid" : "unpaid",
                        paymentIntent == null ? "null" : "\"" + paymentIntent + "\"", bookingId);
    }

    private HttpResponse<String> deliver(String payload, long timestamp) {
        return post(payload, WebhookSigner.header(payload, timestamp, SECRET));
    }

    private HttpResponse<String> post(String payload, String signature) {
        return client.send(HttpRequest.newBuilder(URI.create(system.payment().url() + "/webhooks/stripe"))
                .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(payload)));
    }

    private long outboxEvents(String type) {
        return PlatformClient.jdbc(system.payment()).sql("SELECT count(*) FROM outbox_event WHERE aggregate_id = ? AND event_type = ?")
                .params(bookingId.toString(), type).query(Long.class).single();
    }

    private long storedRecords(String eventId) {
        return PlatformClient.jdbc(system.payment()).sql("SELECT count(*) FROM stripe_webhook_event WHERE stripe_event_id = ?")
                .param(eventId).query(Long.class).single();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
