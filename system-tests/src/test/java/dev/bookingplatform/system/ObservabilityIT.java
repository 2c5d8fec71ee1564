package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16: after a saga run, a scrape of each service's {@code /actuator/prometheus} (ops scope only) finds the
 * relay's lag and slot, the consumers' handler outcomes and partition lag, the saga's steps, end-to-end times,
 * outcomes and deadline gauge, the webhook outcomes and the Stripe calls, each moved by what this run did.
 */
@Timeout(300)
class ObservabilityIT {

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    private enum Service { BOOKING, INVENTORY, PAYMENT, NOTIFICATION }

    @Test
    void aScrapeAfterASagaRunCountsWhatTheRunDid() {
        Map<Service, PrometheusScrape> before = scrapeAll();
        String resource = client.createResource("metrics", 5, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        UUID confirmed = client.bookOk(PlatformClient.bookingJson("metrics+" + UUID.randomUUID() + "@example.com", resource,
                PlatformClient.freshSlot(), 1, ""));
        client.pressPay(client.awaitCheckoutSession(confirmed));
        client.awaitStatus(confirmed, "CONFIRMED");
        UUID cancelled = client.bookOk(PlatformClient.bookingJson("metrics+" + UUID.randomUUID() + "@example.com", resource,
                PlatformClient.freshSlot(), 1, ""));
        client.awaitCheckoutSession(cancelled);
        assertThat(client.cancel(cancelled).statusCode()).isEqualTo(202);
        client.awaitStatus(cancelled, "CANCELLED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<Service, PrometheusScrape> after = scrapeAll();
            PrometheusScrape booking = after.get(Service.BOOKING);
            assertThat(delta(before, after, Service.BOOKING, "booking_saga_outcomes_total", Map.of("state", "CONFIRMED")))
                    .as("confirmed outcomes: this run's one (nothing else confirms meanwhile)").isEqualTo(1);
            assertThat(delta(before, after, Service.BOOKING, "booking_saga_outcomes_total", Map.of("state", "CANCELLED")))
                    .as("cancelled outcomes: this run's one, counted once").isEqualTo(1);
            assertThat(delta(before, after, Service.BOOKING, "booking_end_to_end_seconds_count", Map.of("state", "CONFIRMED"))).isEqualTo(1);
            assertThat(delta(before, after, Service.BOOKING, "booking_end_to_end_seconds_count", Map.of("state", "CANCELLED"))).isEqualTo(1);
            assertThat(delta(before, after, Service.BOOKING, "booking_saga_step_seconds_count",
                    Map.of("from", "PENDING", "to", "AWAITING_PAYMENT"))).isEqualTo(2);
            assertThat(delta(before, after, Service.BOOKING, "booking_saga_step_seconds_count",
                    Map.of("from", "CONFIRMING", "to", "CONFIRMED"))).isEqualTo(1);
            assertThat(booking.matching("booking_saga_past_deadline", Map.of())).extracting(sample -> sample.labels().get("state"))
                    .contains("PENDING", "AWAITING_PAYMENT", "CONFIRMING", "CANCELLATION_REQUESTED");
            // Every booking event of the run went through the relay and was timed: as many as its outbox holds (the relay
            // of an earlier scenario's last row may land in this window too, never fewer).
            assertThat(delta(before, after, Service.BOOKING, "eventing_relay_lag_seconds_count", Map.of("topic", "booking.events")))
                    .isGreaterThanOrEqualTo(bookingEventsOf(confirmed, cancelled));
            assertThat(booking.matching("eventing_relay_lag_seconds_bucket", Map.of("topic", "booking.events"))).isNotEmpty();
            // Each batch's transaction timed: at least one in the window, never more than the rows it carried (plus one:
            // a scrape may fall between a batch's commit meter and its rows' lag).
            assertThat(delta(before, after, Service.BOOKING, "eventing_relay_commit_seconds_count", Map.of())).isPositive()
                    .isLessThanOrEqualTo(delta(before, after, Service.BOOKING, "eventing_relay_lag_seconds_count", Map.of()) + 1);
            assertThat(booking.matching("eventing_relay_commit_seconds_bucket", Map.of())).isNotEmpty();
            for (Service service : Service.values()) {
                PrometheusScrape scrape = after.get(service);
                assertThat(scrape.matching("eventing_relay_slot_lag_bytes", Map.of())).as(service + " slot lag")
                        .singleElement().satisfies(sample -> assertThat(sample.value()).isFinite().isGreaterThanOrEqualTo(0));
                assertThat(scrape.matching("eventing_handler_seconds_count", Map.of("outcome", "applied"))).as(service + " handler outcomes")
                        .isNotEmpty();
            }
            assertThat(delta(before, after, Service.INVENTORY, "eventing_handler_seconds_count",
                    Map.of("eventType", "BookingRequested", "outcome", "applied"))).isEqualTo(2);
            // The payment's webhook is PROCESSED, or DUPLICATE when reconciliation read the outcome from Stripe first.
            assertThat(delta(before, after, Service.PAYMENT, "payment_webhooks_total", Map.of("outcome", "PROCESSED"))
                    + delta(before, after, Service.PAYMENT, "payment_webhooks_total", Map.of("outcome", "DUPLICATE")))
                    .as("webhooks counted").isGreaterThanOrEqualTo(1);
            assertThat(delta(before, after, Service.PAYMENT, "payment_webhooks_total", Map.of("outcome", "ERROR")))
                    .as("webhooks answered with an error").isZero();
            // At least one successful opening per booking (a retried or taken-over intent is timed again), and at Stripe
            // exactly one session each.
            assertThat(delta(before, after, Service.PAYMENT, "payment_stripe_intents_seconds_count",
                    Map.of("kind", "CREATE_SESSION", "outcome", "DONE"))).as("Stripe sessions opened").isGreaterThanOrEqualTo(2);
            for (UUID ofTheRun : List.of(confirmed, cancelled)) {
                assertThat(system.stripe().sessions()).filteredOn(session -> ofTheRun.toString().equals(session.metadata().get("bookingId")))
                        .as("sessions of %s at Stripe", ofTheRun).hasSize(1);
            }
            assertThat(delta(before, after, Service.PAYMENT, "payment_stripe_intents_seconds_count",
                    Map.of("kind", "EXPIRE_SESSION", "outcome", "DONE"))).as("the cancelled booking's session closed").isGreaterThanOrEqualTo(1);
            assertThat(delta(before, after, Service.NOTIFICATION, "eventing_handler_seconds_count",
                    Map.of("eventType", "BookingConfirmed", "outcome", "applied"))).isGreaterThanOrEqualTo(1);
        });
    }

    /**
     * A booking whose hold inventory never expired (its HoldExpired lost): planted by ageing the booking's own copy of
     * the hold's expiry, which inventory does not read. The gauge, read every 15 s, counts it, and lets go once mended.
     */
    @Test
    void aBookingAwaitingPaymentPastItsHoldIsCountedPastItsDeadline() {
        String resource = client.createResource("past-deadline", 5, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        UUID stuck = client.bookOk(PlatformClient.bookingJson("deadline+" + UUID.randomUUID() + "@example.com", resource,
                PlatformClient.freshSlot(), 1, ""));
        client.awaitCheckoutSession(stuck);
        Map<String, String> awaiting = Map.of("state", "AWAITING_PAYMENT");
        double before = scrape(system.booking()).sum("booking_saga_past_deadline", awaiting);
        var booking = PlatformClient.jdbc(system.booking());
        java.sql.Timestamp holdExpiresAt = booking.sql("SELECT hold_expires_at FROM booking WHERE id = ?").param(stuck)
                .query(java.sql.Timestamp.class).single();
        booking.sql("UPDATE booking SET hold_expires_at = now() - interval '1 hour' WHERE id = ?").param(stuck).update();
        try {
            await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(scrape(system.booking())
                    .sum("booking_saga_past_deadline", awaiting)).as("AWAITING_PAYMENT past its deadline").isEqualTo(before + 1));
        }
        finally {
            booking.sql("UPDATE booking SET hold_expires_at = ? WHERE id = ?").params(holdExpiresAt, stuck).update();
        }
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(scrape(system.booking())
                .sum("booking_saga_past_deadline", awaiting)).as("mended").isEqualTo(before));
    }

    /** Partition-level client metrics reach the registry on the eventing library's refresh, every 10 s (KafkaConsumerMeters). */
    @Test
    void consumerLagIsServedPerPartition() {
        Map<Service, PrometheusScrape> scrapes = awaitConsumerLagServed();
        for (Service service : Service.values()) {
            assertThat(scrapes.get(service).matching("kafka_consumer_fetch_manager_records_lag", Map.of())).as(service + " consumer lag")
                    .allSatisfy(sample -> assertThat(sample.labels()).containsKeys("topic", "partition"));
        }
    }

    /** An alert or a panel on a metric nobody serves would stay silent forever. */
    @Test
    void everyMetricTheAlertRulesAndTheDashboardNameIsServed() throws Exception {
        Map<Service, PrometheusScrape> scrapes = awaitConsumerLagServed();
        java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\b((?:eventing|booking|payment|kafka_consumer)_[a-z0-9_]+)");
        for (String file : java.util.List.of("deploy/observability/prometheus-alerts.yaml", "deploy/observability/grafana-dashboard.json")) {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of("..").resolve(file));
            java.util.Set<String> named = new java.util.TreeSet<>();
            java.util.regex.Matcher found = metric.matcher(text);
            while (found.find()) {
                named.add(found.group(1));
            }
            assertThat(named).as(file).hasSizeGreaterThan(8);
            assertThat(named).as("metrics %s names that no service serves", file)
                    .filteredOn(name -> scrapes.values().stream().noneMatch(scrape -> scrape.has(name))).isEmpty();
        }
    }

    @Test
    void theScrapeNeedsTheOpsScope() throws Exception {
        for (RunningService service : system.services()) {
            HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(service.url() + "/actuator/prometheus"))
                    .header("Authorization", "Bearer not-a-token").GET());
            assertThat(anonymous.statusCode()).as(service.name()).isEqualTo(401);
            String customer = system.tokens().issue("customer-" + UUID.randomUUID(), Duration.ofMinutes(5),
                    dev.bookingplatform.web.security.Scopes.BOOKINGS_READ);
            HttpResponse<String> asCustomer = client.send(HttpRequest.newBuilder(URI.create(service.url() + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + customer).GET());
            assertThat(asCustomer.statusCode()).as(service.name()).isEqualTo(403);
        }
    }

    /** The runbook reads the eventing group's details; a probe, or anyone else, sees the status only. */
    @Test
    void healthDetailsAreForOpsTokensOnly() throws Exception {
        String ops = system.tokens().issue("ops-" + UUID.randomUUID(), Duration.ofMinutes(5), dev.bookingplatform.web.security.Scopes.OPS);
        String customer = system.tokens().issue("customer-" + UUID.randomUUID(), Duration.ofMinutes(5),
                dev.bookingplatform.web.security.Scopes.BOOKINGS_READ);
        for (RunningService service : system.services()) {
            URI eventing = URI.create(service.url() + "/actuator/health/eventing");
            // As a probe asks: no token at all (PlatformClient would add the gateway's).
            tools.jackson.databind.JsonNode anonymous = PlatformClient.JSON.readTree(java.net.http.HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(eventing).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            // A 401 problem detail has a numeric status and no components too: the text is what a probe gets.
            assertThat(anonymous.path("status").asString("")).as("%s to a probe: %s", service.name(), anonymous).isIn("UP", "DOWN");
            assertThat(anonymous.has("components")).as("%s shows its components to anyone: %s", service.name(), anonymous).isFalse();
            tools.jackson.databind.JsonNode asCustomer = PlatformClient.JSON.readTree(client.send(HttpRequest.newBuilder(eventing)
                    .header("Authorization", "Bearer " + customer).GET()).body());
            assertThat(asCustomer.path("status").asString("")).as("%s to a customer token: %s", service.name(), asCustomer).isIn("UP", "DOWN");
            assertThat(asCustomer.has("components")).as("%s to a customer token", service.name()).isFalse();
            tools.jackson.databind.JsonNode asOps = PlatformClient.JSON.readTree(client.send(HttpRequest.newBuilder(eventing)
                    .header("Authorization", "Bearer " + ops).GET()).body());
            assertThat(asOps.path("components").path("outboxRelay").path("details").path("state").asString())
                    .as("%s's relay state, for ops: %s", service.name(), asOps).isNotEmpty();
            assertThat(asOps.path("components").path("eventConsumer").path("details").has("running")).as(service.name()).isTrue();
        }
    }

    private static Map<Service, PrometheusScrape> awaitConsumerLagServed() {
        return await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(2)).until(ObservabilityIT::scrapeAll,
                scrapes -> scrapes.values().stream().allMatch(scrape -> scrape.has("kafka_consumer_fetch_manager_records_lag")));
    }

    private static Map<Service, PrometheusScrape> scrapeAll() {
        Map<Service, PrometheusScrape> scrapes = new EnumMap<>(Service.class);
        scrapes.put(Service.BOOKING, scrape(system.booking()));
        scrapes.put(Service.INVENTORY, scrape(system.inventory()));
        scrapes.put(Service.PAYMENT, scrape(system.payment()));
        scrapes.put(Service.NOTIFICATION, scrape(system.notification()));
        return scrapes;
    }

    private static long bookingEventsOf(UUID... bookings) {
        long rows = 0;
        for (UUID booking : bookings) {
            rows += PlatformClient.jdbc(system.booking()).sql("SELECT count(*) FROM outbox_event WHERE aggregate_id = ?"
                    + " AND aggregate_type = 'booking'").param(booking.toString()).query(Long.class).single();
        }
        return rows;
    }

    static PrometheusScrape scrape(RunningService service) {
        HttpResponse<String> response = client.get(service.url() + "/actuator/prometheus");
        assertThat(response.statusCode()).as(service.name() + " /actuator/prometheus").isEqualTo(200);
        return PrometheusScrape.parse(response.body());
    }

    private static double delta(Map<Service, PrometheusScrape> before, Map<Service, PrometheusScrape> after, Service service,
            String name, Map<String, String> labels) {
        return after.get(service).sum(name, labels) - before.get(service).sum(name, labels);
    }
}
