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

    final StripeSimulator stripe = StripeSimulator.start(0, "whsec_test");

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
    void theEventListIsNewestFirstAndPages() {
        for (int i = 0; i < 5; i++) {
            stripe.pay(gateway.createCheckoutSession(checkout(UUID.randomUUID(), 1_000, Duration.ofMinutes(40)), "e" + i).sessionId());
        }
        PaymentGateway.EventPage first = gateway.listEvents(0, null, 3);
        PaymentGateway.EventPage rest = gateway.listEvents(0, first.events().get(2).getId(), 3);

        assertThat(first.events()).hasSize(3);
        assertThat(first.hasMore()).isTrue();
        assertThat(rest.events()).hasSize(2);
        assertThat(rest.hasMore()).isFalse();
        assertThat(first.events().get(0).getCreated()).isGreaterThanOrEqualTo(rest.events().get(1).getCreated());
        assertThat(first.events()).allSatisfy(event -> assertThat(event.getType()).isEqualTo("checkout.session.completed"));
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
