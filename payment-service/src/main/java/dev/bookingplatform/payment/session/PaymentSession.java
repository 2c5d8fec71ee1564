package dev.bookingplatform.payment.session;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A booking's Checkout Session as payment-service knows it, with its refund's life at Stripe. */
public record PaymentSession(UUID bookingId, String sessionId, Status status, long amountMinor, String currency,
        String customerEmail, @Nullable String customerName, @Nullable String paymentIntentId, @Nullable String refundId,
        @Nullable RefundStatus refundStatus, @Nullable Long refundAmountMinor, @Nullable String refundReason,
        int declinedAttempts, @Nullable Instant disputedAt, Instant expiresAt, java.util.List<String> failedRefundIds) {

    /** Whether Stripe reported this refund failed: final for that refund id. */
    public boolean refundFailedBefore(@Nullable String id) {
        return id != null && failedRefundIds.contains(id);
    }

    /** OPEN until paid (COMPLETED), completed with a delayed method (PROCESSING), its delayed payment failed (FAILED), or ran out unpaid (EXPIRED). */
    public enum Status {
        OPEN, PROCESSING, COMPLETED, FAILED, EXPIRED
    }

    public enum RefundStatus {
        PENDING, SUCCEEDED, FAILED
    }

    public String customerNameOrEmpty() {
        return customerName != null ? customerName : "";
    }
}
