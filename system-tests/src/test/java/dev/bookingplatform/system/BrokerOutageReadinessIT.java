package dev.bookingplatform.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;
import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.kafka.EmbeddedKafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16: readiness is "can this replica serve its API". The broker stopped for 15 s: every service stays ready,
 * the booking API keeps accepting bookings (the outbox holds their events), booking-service's eventing health
 * group goes DOWN and its relay's waiting batch grows; when the broker returns, the group is UP again and the
 * bookings made meanwhile go on through the saga, their relay lag showing the outage.
 */
@Timeout(300)
class BrokerOutageReadinessIT {

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    @Test
    void theBookingApiStaysReadyThroughABrokerOutageAndTheEventingGroupTellsTheTruth() {
        assumeThat(Infrastructure.kafka()).as("the embedded broker can be stopped and started here; a container one is not")
                .isInstanceOf(EmbeddedKafkaBroker.class);
        EmbeddedKafkaBroker broker = (EmbeddedKafkaBroker) Infrastructure.kafka();
        String resource = client.createResource("outage", 10, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(status(system.booking(), "eventing")));
        double lagBefore = ObservabilityIT.scrape(system.booking()).sum("eventing_relay_lag_seconds_max", Map.of("topic", "booking.events"));

        List<UUID> bookedDuringOutage = new ArrayList<>();
        long stoppedAt = System.nanoTime();
        broker.stop();
        // The slot's lag when the broker went, read from the database itself (the gauge is read every 10 s): nothing
        // is confirmed while Kafka is away, so the gauge must come to read more than this.
        String slot = ObservabilityIT.scrape(system.booking()).matching("eventing_relay_slot_lag_bytes", Map.of()).get(0).labels().get("slot");
        long slotLagAtStop = PlatformClient.jdbc(system.booking()).sql("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)"
                + "::bigint FROM pg_replication_slots WHERE slot_name = ?").param(slot).query(Long.class).single();
        try {
            while (System.nanoTime() - stoppedAt < Duration.ofSeconds(15).toNanos()) {
                bookedDuringOutage.add(client.bookOk(PlatformClient.bookingJson("outage+" + UUID.randomUUID() + "@example.com",
                        resource, PlatformClient.freshSlot(), 1, "")));
                for (RunningService service : system.services()) {
                    assertThat(status(service, "readiness")).as(service.name() + " readiness while the broker is down").isEqualTo("UP");
                }
                // Pacing, not waiting for a condition: a booking every half second for the whole outage.
                await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).until(() -> true);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(status(system.booking(), "eventing")).as("booking-service's eventing group").isEqualTo("DOWN");
                assertThat(ObservabilityIT.scrape(system.booking()).sum("eventing_relay_batch_waiting_seconds", Map.of()))
                        .as("how long the relay's batch has waited for Kafka").isGreaterThan(5);
                assertThat(ObservabilityIT.scrape(system.booking()).sum("eventing_relay_slot_lag_bytes", Map.of()))
                        .as("WAL the slot holds back while nothing is confirmed (read every 10 s)").isGreaterThan(slotLagAtStop);
                assertThat(ObservabilityIT.scrape(system.booking()).sum("eventing_relay_streaming", Map.of()))
                        .as("booking-service's relay streaming").isZero();
            });
        }
        finally {
            broker.startServer();
        }

        // Each round is a booking and four readiness reads: on shared, busy CPUs fewer fit in 15 s; a few prove it.
        assertThat(bookedDuringOutage).hasSizeGreaterThanOrEqualTo(3);
        for (UUID id : bookedDuringOutage) {
            client.awaitCheckoutSession(id);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (RunningService service : system.services()) {
                assertThat(status(service, "eventing")).as(service.name() + " eventing group after the outage").isEqualTo("UP");
            }
        });
        assertThat(ObservabilityIT.scrape(system.booking()).sum("eventing_relay_lag_seconds_max", Map.of("topic", "booking.events")))
                .as("the relay lag of the events held through the outage").isGreaterThan(Math.max(lagBefore, 5));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            PrometheusScrape recovered = ObservabilityIT.scrape(system.booking());
            assertThat(recovered.sum("eventing_relay_streaming", Map.of())).as("booking-service's relay streaming again").isEqualTo(1);
            assertThat(recovered.sum("eventing_relay_batch_waiting_seconds", Map.of())).as("no batch waiting for Kafka").isZero();
        });
    }

    private static String status(RunningService service, String group) {
        JsonNode health = PlatformClient.JSON.readTree(client.get(service.url() + "/actuator/health/" + group).body());
        return health.get("status").asString();
    }
}
