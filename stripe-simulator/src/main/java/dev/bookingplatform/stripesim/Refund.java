package dev.bookingplatform.stripesim;

import org.jspecify.annotations.Nullable;

/** A refund the simulator made; {@code status} is Stripe's: pending, succeeded, failed. */
public record Refund(String id, String paymentIntent, long amount, String currency, String status, @Nullable String failureReason,
        java.util.Map<String, String> metadata) {

    Refund withStatus(String newStatus, @Nullable String reason) {
        return new Refund(id, paymentIntent, amount, currency, newStatus, reason, metadata);
    }
}
