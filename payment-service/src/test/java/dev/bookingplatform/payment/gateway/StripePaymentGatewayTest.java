package dev.bookingplatform.payment.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.payment.StripeProperties;
import dev.bookingplatform.stripesim.StripeSimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stripe-java adapter against the Stripe simulator over real HTTP: retries never charge or refund twice,
 * and the simulator refuses what Stripe refuses, as the exceptions stripe-java really throws.
 */
@Timeout(60)
class StripePaymentGatewayTest {

    final dev.bookingplatform.testsupport.MovableClock clock = new dev.bookingplatform.testsupport.MovableClock();

    final StripeSimulator stripe = StripeSimulator.start("127.0.0.1", 0, "whsec_test", clock);

    final StripePaymentGateway gateway = new StripePaymentGateway(properties(12));

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void retriedCallsUnderTransientFailuresCreateOneSessionAndOneRefund() {
        stripe.rateLimit(0);
        stripe.failureRate(0.5);
        UUID booking = UUID.randomUUID();
        PaymentGateway.CheckoutRequest request = checkout(booking, 4_200, Duration.ofMinutes(40));

        PaymentGateway.CheckoutSession first = gateway.createCheckoutSession(request, "checkout-" + booking);
        PaymentGateway.CheckoutSession again = gateway.createCheckoutSession(request, "checkout-" + booking);

        assertThat(again.sessionId()).isEqualTo(first.sessionId());
        assertThat(stripe.sessions()).hasSize(1);
        String paymentIntent = stripe.pay(first.sessionId()).paymentIntent();
        PaymentGateway.RefundResult refund = gateway.refund(booking, paymentIntent, 4_200, "refund-" + booking + "-1");
        assertThat(gateway.refund(booking, paymentIntent, 4_200, "refund-" + booking + "-1").refundId()).isEqualTo(refund.refundId());
        assertThat(stripe.refunds()).hasSize(1);
        assertThat(refund.currency()).isEqualTo("EUR");
        assertThat(refund.status()).isEqualTo("succeeded");
    }

    @Test
    void expiringAPaidSessionSaysItWasAlreadyClosed() {
        PaymentGateway.CheckoutSession session = gateway.createCheckoutSession(checkout(UUID.randomUUID(), 100, Duration.ofMinutes(31)),
                "k1");
        stripe.pay(session.sessionId());

        assertThat(gateway.expireCheckoutSession(session.sessionId(), "expire-1")).isFalse();
        assertThatThrownBy(() -> gateway.refund(UUID.randomUUID(), "pi_unknown", 100, "r1"))
                .isInstanceOfSatisfying(StripeCallFailed.class, failed -> assertThat(failed.isTransient()).isFalse());
    }

    @Test
    void aSessionShorterThanThirtyMinutesOrLongerThanADayIsRefusedForGood() {
        assertThatThrownBy(() -> gateway.createCheckoutSession(checkout(UUID.randomUUID(), 1_000, Duration.ofMinutes(29)), "short"))
                .isInstanceOfSatisfying(StripeCallFailed.class, failed -> {
                    assertThat(failed.isTransient()).isFalse();
                    assertThat(failed.getMessage()).contains("at least 30 minutes");
                });
        assertThatThrownBy(() -> gateway.createCheckoutSession(checkout(UUID.randomUUID(), 1_000, Duration.ofHours(25)), "long"))
                .isInstanceOfSatisfying(StripeCallFailed.class, failed -> assertThat(failed.getMessage()).contains("24 hours"));
        assertThat(stripe.sessions()).isEmpty();
    }

    @Test
    void anAmountBelowTheCurrencysMinimumIsRefused() {
        assertThatThrownBy(() -> gateway.createCheckoutSession(checkout(UUID.randomUUID(), 49, Duration.ofMinutes(40)), "tiny"))
                .isInstanceOfSatisfying(StripeCallFailed.class, failed -> {
                    assertThat(failed.isTransient()).isFalse();
                    assertThat(failed.getMessage()).contains("amount_too_small");
                });
    }

    @Test
    void anIdempotencyKeyReusedWithOtherParametersIsRefusedAsStripeRefusesIt() {
        UUID booking = UUID.randomUUID();
        gateway.createCheckoutSession(checkout(booking, 1_000, Duration.ofMinutes(40)), "same-key");

        assertThatThrownBy(() -> gateway.createCheckoutSession(checkout(booking, 2_000, Duration.ofMinutes(40)), "same-key"))
                .isInstanceOfSatisfying(StripeCallFailed.class, failed -> {
                    assertThat(failed.getCause()).isInstanceOf(com.stripe.exception.IdempotencyException.class);
                    assertThat(failed.isTransient()).isFalse();
                });
        assertThat(stripe.sessions()).hasSize(1);
    }

    @Test
    void aBurstAboveTheRateLimitIsAnswered429AndRetriedUntilEveryCallGetsThrough() throws Exception {
        stripe.rateLimit(5);
        StripePaymentGateway patient = new StripePaymentGateway(properties(30));
        List<java.util.concurrent.CompletableFuture<PaymentGateway.CheckoutSession>> burst = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    UUID booking = UUID.randomUUID();
                    return patient.createCheckoutSession(checkout(booking, 1_000, Duration.ofMinutes(40)), "burst-" + booking);
                })).toList();
        burst.forEach(java.util.concurrent.CompletableFuture::join);

        assertThat(stripe.rateLimited()).isPositive();
        assertThat(stripe.sessions()).hasSize(20);
    }

    @Test
    void theEventListIsNewestFirstAndPages() throws Exception {
        List<String> sessions = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String session = gateway.createCheckoutSession(checkout(UUID.randomUUID(), 1_000, Duration.ofMinutes(40)), "e" + i).sessionId();
            stripe.pay(session);
            sessions.add(session);
            clock.advance(Duration.ofSeconds(1));
        }
        PaymentGateway.EventPage first = gateway.listEvents(0, null, 3);
        PaymentGateway.EventPage rest = gateway.listEvents(0, first.events().get(2).getId(), 3);

        assertThat(first.events()).hasSize(3);
        assertThat(first.hasMore()).isTrue();
        assertThat(rest.events()).hasSize(2);
        assertThat(rest.hasMore()).isFalse();
        List<String> newestFirst = new java.util.ArrayList<>();
        for (com.stripe.model.Event event : java.util.stream.Stream.concat(first.events().stream(), rest.events().stream()).toList()) {
            newestFirst.add(((com.stripe.model.checkout.Session) event.getDataObjectDeserializer().deserializeUnsafe()).getId());
        }
        List<String> expected = new java.util.ArrayList<>(sessions);
        java.util.Collections.reverse(expected);
        assertThat(newestFirst).containsExactlyElementsOf(expected);
        assertThat(first.events()).allSatisfy(event -> assertThat(event.getType()).isEqualTo("checkout.session.completed"));
        assertThat(gateway.listEvents(first.events().get(1).getCreated(), null, 100).events()).as("created[gte]").hasSize(2);
    }

    @Test
    void aRefundWhoseAnswerWasLostIsFoundByItsIntentKeyInsteadOfMadeAgain() {
        UUID booking = UUID.randomUUID();
        String session = gateway.createCheckoutSession(checkout(booking, 3_000, Duration.ofMinutes(40)), "find-" + booking).sessionId();
        String paymentIntent = stripe.pay(session).paymentIntent();
        PaymentGateway.RefundResult made = gateway.refund(booking, paymentIntent, 3_000, "refund-" + booking + "-1");

        assertThat(gateway.findRefund(paymentIntent, "refund-" + booking + "-1")).hasValueSatisfying(found ->
                assertThat(found.refundId()).isEqualTo(made.refundId()));
        assertThat(gateway.findRefund(paymentIntent, "refund-" + booking + "-2")).isEmpty();
    }

    private StripeProperties properties(int attempts) {
        return new StripeProperties(stripe.apiBase().toString(), "sk_test_x", List.of("whsec_test"), Duration.ofSeconds(300),
                "http://ok", "http://cancel", Duration.ofSeconds(2), Duration.ofSeconds(5),
                new StripeProperties.Retry(attempts, Duration.ofMillis(5)),
                new StripeProperties.Intents(2, Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(30)),
                new StripeProperties.Reconciliation(false, Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofHours(24),
                        Duration.ofMinutes(10), 100));
    }

    private static PaymentGateway.CheckoutRequest checkout(UUID booking, long amount, Duration open) {
        return new PaymentGateway.CheckoutRequest(booking, amount, "EUR", "a@example.com", "1 x room", Instant.now().plus(open));
    }
}
