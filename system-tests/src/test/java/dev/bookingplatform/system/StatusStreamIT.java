package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import dev.bookingplatform.localstack.system.BookingSystem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/bookings/{id}/events}: a gateway subscribed before the customer pays hears AWAITING_PAYMENT and
 * then CONFIRMED, in order, each within a second of the change's commit; reconnecting with {@code Last-Event-ID} it
 * hears only what it missed; the stream ends at a final state; another customer's booking is not found.
 */
@Timeout(180)
class StatusStreamIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    final HttpClient http = HttpClient.newHttpClient();

    final String customer = "stream-" + UUID.randomUUID();

    final String token = client.customerToken(customer);

    @Test
    void aSubscriberHearsEachChangeInOrderWithinASecondAndResumesAfterWhatItSaw() throws Exception {
        String resource = client.createResource("stream-court", 1, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        UUID id = book(resource);
        try (Subscription stream = subscribe(id, null)) {
            String session = client.awaitCheckoutSession(id);
            Event awaiting = stream.awaitStatus("AWAITING_PAYMENT");
            assertThat(client.pressPay(session).statusCode()).isEqualTo(200);
            Event confirmed = stream.awaitStatus("CONFIRMED");

            List<String> heard = stream.received.stream().map(Event::status).toList();
            assertThat(heard).containsSubsequence("PENDING", "AWAITING_PAYMENT", "CONFIRMING", "CONFIRMED").doesNotHaveDuplicates();
            assertThat(stream.received).extracting(Event::id).isSorted();
            for (Event event : List.of(awaiting, confirmed)) {
                Instant committed = changedAt(id, event.status());
                assertThat(Duration.between(committed, event.receivedAt()))
                        .as("%s heard %s after its commit", event.status(), Duration.between(committed, event.receivedAt()))
                        .isLessThan(Duration.ofSeconds(1));
            }

            try (Subscription resumed = subscribe(id, Long.toString(awaiting.id()))) {
                resumed.awaitStatus("CONFIRMED");
                assertThat(resumed.received).extracting(Event::status).containsExactly("CONFIRMING", "CONFIRMED");
            }
        }
    }

    @Test
    void theStreamEndsWhenTheBookingReachesAFinalState() throws Exception {
        String resource = client.createResource("stream-court", 1, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        UUID id = book(resource);
        client.awaitCheckoutSession(id);
        try (Subscription stream = subscribe(id, null)) {
            stream.awaitStatus("AWAITING_PAYMENT");
            HttpResponse<String> cancelled = client.send(HttpRequest.newBuilder(URI.create(system.booking().url()
                    + "/api/bookings/" + id + "/cancel")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
            stream.awaitStatus("CANCELLED");
            assertThat(stream.ended.poll(5, TimeUnit.SECONDS)).as("the stream ended after CANCELLED").isTrue();
        }
        // A reconnect after the final event is told there is nothing more: 204, which stops an EventSource for good.
        long finalEvent = PlatformClient.jdbc(system.booking()).sql("""
                SELECT id FROM booking_transition WHERE booking_id = ? AND to_status = 'CANCELLED' AND accepted""")
                .param(id).query(Long.class).single();
        HttpResponse<String> late = checked(events(id, token, Long.toString(finalEvent)).build());
        assertThat(late.statusCode()).isEqualTo(204);
        // One that missed the end still hears it, and then the stream ends.
        try (Subscription missed = subscribe(id, Long.toString(finalEvent - 1))) {
            assertThat(missed.ended.poll(5, TimeUnit.SECONDS)).isTrue();
            assertThat(missed.received).extracting(Event::status).containsExactly("CANCELLED");
        }
    }

    @Test
    void anotherCustomersBookingIsNotFoundAndABadLastEventIdIsRefused() throws Exception {
        String resource = client.createResource("stream-court", 1, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        UUID id = book(resource);
        String someoneElse = client.customerToken("stream-other-" + UUID.randomUUID());
        HttpResponse<String> foreign = checked(events(id, someoneElse, null).build());
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        HttpResponse<String> bad = checked(events(id, token, "yesterday").build());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Last-Event-ID");
        HttpResponse<String> anonymous = checked(HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings/"
                + id + "/events")).header("Accept", "text/event-stream").build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void oneCustomerCannotHoldMoreThanItsShareOfStreams() throws Exception {
        String resource = client.createResource("stream-court", 1, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        UUID id = book(resource);
        List<Subscription> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                open.add(subscribe(id, null));
            }
            HttpResponse<String> oneTooMany = checked(events(id, token, null).build());
            assertThat(oneTooMany.statusCode()).isEqualTo(429);
            assertThat(oneTooMany.headers().firstValue("Retry-After")).isPresent();
        }
        finally {
            open.forEach(Subscription::close);
        }
        // Closed streams are given back: a dropped connection is found when a keep-alive to it fails, the first or (the
        // kernel having taken the first write) the second, 15 to 30 s later; then the customer may follow a booking again.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(75)).pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
            HttpResponse<Stream<String>> again = http.send(events(id, token, null).build(), HttpResponse.BodyHandlers.ofLines());
            again.body().close();
            return again.statusCode() == 200;
        });
    }

    /** A request whose answer is not a stream, sent and checked against the booking contract. */
    private HttpResponse<String> checked(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        OpenApiContract.check("booking-service", request, null, response);
        return response;
    }

    private UUID book(String resource) {
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(PlatformClient.bookingJson(customer + "@example.com", resource,
                        PlatformClient.freshSlot(), 1, ""))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        return UUID.fromString(PlatformClient.JSON.readTree(created.body()).get("id").asString());
    }

    /** When the booking entered the state, by the database's clock (the same machine's). */
    private Instant changedAt(UUID id, String status) {
        return PlatformClient.jdbc(system.booking()).sql("""
                SELECT at FROM booking_transition WHERE booking_id = ? AND to_status = ? AND accepted
                ORDER BY id LIMIT 1""").params(id, status).query(java.sql.Timestamp.class).single().toInstant();
    }

    private HttpRequest.Builder events(UUID id, String bearer, @Nullable String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings/" + id + "/events"))
                .header("Authorization", "Bearer " + bearer).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request;
    }

    private Subscription subscribe(UUID id, @Nullable String lastEventId) throws Exception {
        HttpResponse<Stream<String>> response = http.send(events(id, token, lastEventId).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        return new Subscription(response);
    }

    record Event(long id, String status, Instant receivedAt) {
    }

    /** Reads the stream on a thread of its own: events as they arrive, and whether the server ended it. */
    static final class Subscription implements AutoCloseable {

        final List<Event> received = java.util.Collections.synchronizedList(new ArrayList<>());

        final BlockingQueue<Event> arrivals = new LinkedBlockingQueue<>();

        final BlockingQueue<Boolean> ended = new LinkedBlockingQueue<>();

        private final Thread reader;

        private final Stream<String> lines;

        Subscription(HttpResponse<Stream<String>> response) {
            this.lines = response.body();
            this.reader = new Thread(this::read, "status-stream-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            Map<String, String> fields = new HashMap<>();
            try {
                lines.forEach(line -> {
                    if (line.isEmpty()) {
                        if ("status".equals(fields.get("event"))) {
                            JsonNode data = PlatformClient.JSON.readTree(fields.get("data"));
                            Event event = new Event(Long.parseLong(fields.get("id")), data.get("status").asString(), Instant.now());
                            received.add(event);
                            arrivals.add(event);
                        }
                        fields.clear();
                    }
                    else if (!line.startsWith(":")) {
                        int colon = line.indexOf(':');
                        String name = colon < 0 ? line : line.substring(0, colon);
                        String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
                        fields.merge(name, value, (first, next) -> first + "\n" + next);
                    }
                });
                ended.add(true);
            }
            catch (RuntimeException closed) {
                // close() below, or the connection dropped: the test's awaits say what was missing.
            }
        }

        Event awaitStatus(String status) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (received) {
                for (Event event : received) {
                    if (event.status().equals(status)) {
                        return event;
                    }
                }
            }
            while (System.nanoTime() < deadline) {
                Event next = arrivals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next != null && next.status().equals(status)) {
                    return next;
                }
            }
            throw new AssertionError("No " + status + " event within 60 s; heard " + received);
        }

        @Override
        public void close() {
            lines.close();
            reader.interrupt();
        }
    }
}
