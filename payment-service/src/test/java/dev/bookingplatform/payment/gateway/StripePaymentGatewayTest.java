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

/** The stripe-java adapter against the Stripe simulator over real HTTP: retries never charge or refund twice. */
@Timeout(60)
class StripePaymentGatewayTest {

    final StripeSimulator stripe = StripeSimulator.start(0, "whsec_test");

    final StripePaymentGateway gateway = new StripePaymentGateway(new StripeProperties(stripe.apiBase().toString(),
            "sk_test_x", List.of("whsec_test"), Duration.ofSeconds(300), "http://ok", "http://cancel", Duration.ofSeconds(2),
            Duration.ofSeconds(5), new StripeProperties.Retry(12, Duration.ofMillis(5))));

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void retriedCallsUnderTransientFailuresCreateOneSessionAndOneRefund() {
        stripe.failureRate(0.5);
        UUID booking = UUID.randomUUID();
        PaymentGateway.CheckoutRequest request = new PaymentGateway.CheckoutRequest(booking, 4_200, "EUR", "a@example.com",
                "1 x room", Instant.now().plusSeconds(600));

        PaymentGateway.CheckoutSession first = gateway.createCheckoutSession(request);
        PaymentGateway.CheckoutSession again = gateway.createCheckoutSession(request);

        assertThat(again.sessionId()).isEqualTo(first.sessionId());
        assertThat(stripe.sessions()).hasSize(1);
        String paymentIntent = stripe.pay(first.sessionId()).paymentIntent();
        PaymentGateway.RefundResult refund = gateway.refund(booking, paymentIntent, 4_200);
        assertThat(gateway.refund(booking, paymentIntent, 4_200).refundId()).isEqualTo(refund.refundId());
        assertThat(stripe.refunds()).hasSize(1);
        assertThat(refund.currency()).isEqualTo("EUR");
    }

    @Test
    void expiringAPaidSessionSaysItWasAlreadyClosed() {
        stripe.failureRate(0);
        PaymentGateway.CheckoutSession session = gateway.createCheckoutSession(new PaymentGateway.CheckoutRequest(UUID.randomUUID(),
                100, "EUR", "a@example.com", "x", Instant.now().plusSeconds(600)));
        stripe.pay(session.sessionId());

        assertThat(gateway.expireCheckoutSession(session.sessionId())).isFalse();
        assertThatThrownBy(() -> gateway.refund(UUID.randomUUID(), "pi_unknown", 100))
                .isInstanceOfSatisfying(StripeCallFailed.class, failed -> assertThat(failed.isTransient()).isFalse());
    }
}
