package dev.bookingplatform.payment.gateway;

import java.time.Instant;
import java.util.UUID;

/**
 * The payment provider as payment-service needs it. Every write carries an idempotency key derived from
 * the booking, so a retried call (after a timeout, a crash, a redelivered event) is the same call to the
 * provider and never charges or refunds twice.
 */
public interface PaymentGateway {

    CheckoutSession createCheckoutSession(CheckoutRequest request);

    /**
     * Ends an unpaid session so it can no longer be paid.
     *
     * @return false if the session was already closed (paid or expired) at the provider
     */
    boolean expireCheckoutSession(String sessionId);

    /** Refunds a payment in full (the booking's amount). */
    RefundResult refund(UUID bookingId, String paymentIntentId, long amountMinor);

    record CheckoutRequest(UUID bookingId, long amountMinor, String currency, String customerEmail, String description,
            Instant expiresAt) {
    }

    record CheckoutSession(String sessionId, String checkoutUrl, Instant expiresAt) {
    }

    record RefundResult(String refundId, long amountMinor, String currency) {
    }
}
