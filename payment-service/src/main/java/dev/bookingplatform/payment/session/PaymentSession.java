package dev.bookingplatform.payment.session;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A booking's Checkout Session as payment-service knows it. */
public record PaymentSession(UUID bookingId, String sessionId, Status status, long amountMinor, String currency,
        String customerEmail, @Nullable String customerName, @Nullable String paymentIntentId, @Nullable String refundId) {

    public enum Status {
        OPEN, COMPLETED, FAILED, EXPIRED
    }
}
