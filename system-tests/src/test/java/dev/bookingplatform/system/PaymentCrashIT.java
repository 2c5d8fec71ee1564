package dev.bookingplatform.system;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * payment-service in a JVM of its own, killed with SIGKILL after Stripe carried out its call and before the
 * outcome was committed (Stripe's answer is held back so the kill lands there). On restart the intent's
 * lease runs out, the call is made again with the same idempotency key, Stripe answers it from its record:
 * one session, one refund, and the saga ends right.
 */
// Its services, broker and databases are its own (shared with KillEveryProcessIT, never at the same time), so it runs
// beside the scenarios on the shared system (junit-platform.properties).
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TheSecondLane.LOCK)
@Timeout(600)
class PaymentCrashIT {

    static BookingSystem system;

    static PlatformClient client;

    @BeforeAll
    static void startWithPaymentInItsOwnJvm() {
        system = SeparateProcesses.system();
        client = new PlatformClient(system);
    }

    /** The system is shared with KillEveryProcessIT: a failed case must not leave Stripe slow for it. */
    @AfterEach
    void stripeAnswersAtOnceAgain() {
        system.stripe().responseDelay(Duration.ZERO);
    }

    @AfterAll
    static void done() {
        SeparateProcesses.doneWith(PaymentCrashIT.class);
    }

    @Test
    void killedBetweenOpeningTheSessionAndRecordingItOneSessionAndTheBookingGoesOn() {
        ServiceProcess payment = system.process("payment-service");
        String resource = client.createResource("crash-session", 1, 3_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = "crash+" + UUID.randomUUID() + "@example.com";
        system.stripe().responseDelay(Duration.ofSeconds(30));
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, ""));
        await().atMost(Duration.ofSeconds(60)).until(() -> sessionsOf(id) == 1);

        payment.kill();
        system.stripe().responseDelay(Duration.ZERO);
        assertThat(PlatformClient.jdbc(system.payment()).sql("SELECT count(*) FROM payment_session WHERE booking_id = ?").param(id)
                .query(Long.class).single()).as("the outcome was never committed").isZero();
        payment.restart();

        String session = client.awaitCheckoutSession(id);
        client.pressPay(session);
        client.awaitStatus(id, "CONFIRMED");
        assertThat(sessionsOf(id)).as("the retry was the same call at Stripe").isEqualTo(1);
        await().until(() -> client.mailsTo(email).size() == 1);
    }

    /** The second kill of this JVM costs a minute: it runs under -Pchaos; ./mvnw verify has the session's kill. */
    @Test
    @Tag("chaos")
    void killedBetweenTheRefundAndRecordingItOneRefundAndTheBookingIsCancelled() {
        ServiceProcess payment = system.process("payment-service");
        String resource = client.createResource("crash-refund", 1, 3_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = "crash-refund+" + UUID.randomUUID() + "@example.com";
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, ""));
        String session = client.awaitCheckoutSession(id);
        client.pressPay(session);
        client.awaitStatus(id, "CONFIRMED");
        String paymentIntent = system.stripe().session(session).orElseThrow().paymentIntent();

        system.stripe().responseDelay(Duration.ofSeconds(30));
        assertThat(client.cancel(id).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> system.stripe().refunds().stream()
                .anyMatch(refund -> refund.paymentIntent().equals(paymentIntent)));
        payment.kill();
        system.stripe().responseDelay(Duration.ZERO);
        payment.restart();

        client.awaitStatus(id, "CANCELLED");
        assertThat(system.stripe().refunds()).filteredOn(refund -> refund.paymentIntent().equals(paymentIntent)).hasSize(1);
        await().until(() -> client.mailsTo(email).size() == 2);
        assertThat(client.taken(resource)).isZero();
    }

    private static long sessionsOf(UUID bookingId) {
        return system.stripe().sessions().stream().filter(session -> bookingId.toString().equals(session.metadata().get("bookingId")))
                .count();
    }
}
