package dev.bookingplatform.system;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import dev.bookingplatform.events.Topics;
import dev.bookingplatform.localstack.system.BookingSystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16: the services log JSON (Elastic Common Schema), one object per line. A booking made with the gateway's
 * {@code X-Correlation-Id}, paid and confirmed: every line of the log file parses, every line that names the
 * booking carries its correlation id (whichever service, thread or job wrote it), and lines written while an
 * event was handled carry that event's id and its cause.
 */
@Timeout(300)
class StructuredLogsIT {

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    @Test
    void everyLineIsJsonAndEveryLineAboutTheBookingCarriesItsCorrelationId() throws Exception {
        String resource = client.createResource("logs", 5, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String correlationId = "gateway-" + UUID.randomUUID();
        var response = client.post(system.booking().url() + "/api/bookings", Map.of("Idempotency-Key", UUID.randomUUID().toString(),
                "X-Correlation-Id", correlationId), PlatformClient.bookingJson("logs+" + UUID.randomUUID() + "@example.com", resource,
                        PlatformClient.freshSlot(), 1, ""));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        UUID id = UUID.fromString(PlatformClient.JSON.readTree(response.body()).get("id").asString());
        client.pressPay(client.awaitCheckoutSession(id));
        client.awaitStatus(id, "CONFIRMED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> lines = parseEveryLine();
            List<JsonNode> aboutTheBooking = lines.stream().filter(line -> text(line, "message").contains(id.toString())).toList();
            assertThat(aboutTheBooking).as("lines naming booking %s", id).isNotEmpty();
            assertThat(aboutTheBooking).allSatisfy(line -> assertThat(text(line, "correlationId"))
                    .as("correlation id of %s", line).isEqualTo(correlationId));
            // Chosen by what was handled, not by the id under test: every line logged while one of this saga's events was
            // handled, in any service, must carry the saga's correlation id.
            Set<String> sagaEvents = eventIdsOf(id);
            assertThat(lines).filteredOn(line -> sagaEvents.contains(text(line, "eventId")))
                    .as("lines logged while one of the saga's %d events was handled", sagaEvents.size()).isNotEmpty()
                    .allSatisfy(line -> assertThat(text(line, "correlationId")).as("correlation id of %s", line).isEqualTo(correlationId));
            List<JsonNode> ofTheSaga = lines.stream().filter(line -> correlationId.equals(text(line, "correlationId"))).toList();
            assertThat(ofTheSaga).extracting(line -> text(line, "log.logger"))
                    .as("every service logged a step of this saga")
                    .anyMatch(logger -> logger.startsWith("dev.bookingplatform.booking"))
                    .anyMatch(logger -> logger.startsWith("dev.bookingplatform.inventory"))
                    .anyMatch(logger -> logger.startsWith("dev.bookingplatform.payment"))
                    .anyMatch(logger -> logger.startsWith("dev.bookingplatform.notification"));
            assertThat(ofTheSaga).filteredOn(line -> text(line, "process.thread.name").startsWith("event-consumer"))
                    .as("lines logged while handling an event").isNotEmpty()
                    .allSatisfy(line -> {
                        assertThat(text(line, "eventId")).as("eventId of %s", line).isNotEmpty();
                        assertThat(text(line, "causationId")).as("causationId of %s", line).isNotEmpty();
                        assertThat(text(line, "traceId")).as("traceId of %s", line).matches("[0-9a-f]{32}");
                    });
            // Stripe is called from payment-service's worker pool, outside any consumer or request: the intent keeps
            // the trace it was recorded in, so those lines are in the saga's trace too.
            Set<String> sagaTraces = ofTheSaga.stream().filter(line -> text(line, "process.thread.name").startsWith("event-consumer"))
                    .map(line -> text(line, "traceId")).collect(java.util.stream.Collectors.toSet());
            assertThat(ofTheSaga).filteredOn(line -> text(line, "process.thread.name").startsWith("stripe-intent"))
                    .as("lines the Stripe intent workers logged for this saga").isNotEmpty()
                    .allSatisfy(line -> assertThat(text(line, "traceId")).as("traceId of %s", line).isIn(sagaTraces));
        });
    }

    /**
     * A record that fails is retried and dead-lettered by the error handler, after the handler's own scope closed:
     * those lines (spring-kafka's and ours) must carry the event's correlation id too, or the one failure an operator
     * greps for is the one that cannot be found.
     */
    @Test
    void theLinesOfADeadLetterCarryTheFailedEventsCorrelationId() throws Exception {
        PoisonEvent poison = PoisonEvent.publish(system, "logs-dlt-");
        String correlationId = "logs-dlt-" + poison.eventId();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<JsonNode> aboutIt = parseEveryLine().stream().filter(line -> {
                String said = text(line, "message") + text(line, "error.message");
                return said.contains(poison.bookingId().toString()) || said.contains(poison.eventId().toString());
            }).toList();
            assertThat(aboutIt).extracting(line -> text(line, "message")).as("lines about the failed event")
                    .anyMatch(message -> message.contains("failed delivery"))
                    .anyMatch(message -> message.contains("dead-lettered to " + Topics.INVENTORY_EVENTS + ".booking-service.DLT"));
            assertThat(aboutIt).allSatisfy(line -> assertThat(text(line, "correlationId")).as("correlation id of %s", line)
                    .isEqualTo(correlationId));
        });
    }

    /** The ids of every event the booking's saga announced, from each service's outbox. */
    private static Set<String> eventIdsOf(UUID booking) {
        Set<String> ids = new java.util.HashSet<>();
        for (var service : List.of(system.booking(), system.inventory(), system.payment())) {
            ids.addAll(PlatformClient.jdbc(service).sql("SELECT id::text FROM outbox_event WHERE aggregate_id = ?").param(booking.toString())
                    .query(String.class).list());
        }
        assertThat(ids).as("events of booking %s", booking).hasSizeGreaterThanOrEqualTo(6);
        return ids;
    }

    private static List<JsonNode> parseEveryLine() throws java.io.IOException {
        List<JsonNode> parsed = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(TheSystem.SERVICE_LOG, StandardCharsets.UTF_8)) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                parsed.add(PlatformClient.JSON.readTree(line));
            }
            catch (JacksonException notJson) {
                fail("line " + number + " of " + TheSystem.SERVICE_LOG + " is not JSON: " + line);
            }
        }
        return parsed;
    }

    /** A field by its dotted ECS name, flat or nested. */
    private static String text(JsonNode line, String name) {
        JsonNode flat = line.get(name);
        if (flat != null) {
            return flat.asString();
        }
        JsonNode node = line;
        for (String part : name.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node == null || node.isNull() ? "" : node.asString();
    }
}
