package dev.bookingplatform.system;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.stripesim.CheckoutSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 10: forty bookings (four hundred under {@code -Pchaos}) while about 5% of Stripe calls and SMTP connections fail transiently.
 * Every booking ends; the only compensations are the declines we injected; nobody is charged or mailed twice.
 */
@Timeout(900)
class ChaosIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @AfterEach
    void calmDown() {
        system.stripe().failureRate(0);
        TheSystem.smtpRelay().failureRate(0);
    }

    /** Forty in {@code ./mvnw verify}, four hundred under {@code -Pchaos}. */
    static final int BOOKINGS = 40 * Integer.getInteger("bookingplatform.chaos.scale", 1);

    @Test
    void bookingsUnderTransientFailuresAllEndAndNothingHappensTwice() {
        String resource = client.createResource("chaos-hall", 2 * BOOKINGS, 1_500, PlatformClient.HOLD_SECONDS, Map.of());
        Instant slot = PlatformClient.freshSlot();
        system.stripe().failureRate(0.05);
        TheSystem.smtpRelay().failureRate(0.05);

        List<UUID> ids = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < BOOKINGS; i++) {
            String email = "load" + i + "+" + UUID.randomUUID() + "@example.com";
            emails.add(email);
            ids.add(client.bookOk(PlatformClient.bookingJson(email, resource, slot, 1, "")));
        }
        List<UUID> declined = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String session = client.awaitCheckoutSession(ids.get(i));
            if (i % 10 == 3) {
                // A declined card ends nothing; this customer then gives up and cancels.
                declined.add(ids.get(i));
                assertThat(client.pressDecline(session).statusCode()).isEqualTo(200);
                assertThat(client.cancel(ids.get(i)).statusCode()).isEqualTo(202);
            }
            else {
                assertThat(client.pressPay(session).statusCode()).isEqualTo(200);
            }
        }

        await().atMost(Duration.ofMinutes(8)).until(() -> ids.stream()
                .map(id -> client.booking(id).get("status").asString())
                .allMatch(status -> status.equals("CONFIRMED") || status.equals("CANCELLED")));
        List<UUID> cancelled = ids.stream().filter(id -> client.booking(id).get("status").asString().equals("CANCELLED")).toList();
        assertThat(cancelled).containsExactlyInAnyOrderElementsOf(declined);
        assertThat(client.taken(resource)).isEqualTo(BOOKINGS - declined.size());

        List<CheckoutSession> sessions = system.stripe().sessions().stream()
                .filter(session -> ids.contains(UUID.fromString(session.metadata().get("bookingId")))).toList();
        assertThat(sessions).hasSize(BOOKINGS);
        assertThat(sessions.stream().filter(session -> "complete".equals(session.status()))).hasSize(BOOKINGS - declined.size());
        assertThat(system.stripe().refunds()).noneMatch(refund -> sessions.stream()
                .anyMatch(session -> refund.paymentIntent().equals(session.paymentIntent())));

        await().atMost(Duration.ofMinutes(2)).until(() -> emails.stream().allMatch(email -> client.mailsTo(email).size() >= 1));
        assertThat(emails).allSatisfy(email -> assertThat(client.mailsTo(email)).hasSize(1));
        assertThat(TheSystem.smtpRelay().dropped()).as("SMTP failures were injected").isPositive();
        assertThat(system.stripe().injectedFailures()).as("Stripe failures were injected").isPositive();
        LoggerFactory.getLogger(ChaosIT.class).info("Chaos: {} Stripe calls and {} SMTP connections failed on purpose",
                system.stripe().injectedFailures(), TheSystem.smtpRelay().dropped());
    }
}
