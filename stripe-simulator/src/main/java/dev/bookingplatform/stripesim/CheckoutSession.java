package dev.bookingplatform.stripesim;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** A Checkout Session as the simulator holds it; {@code status} is Stripe's: open, complete or expired. */
public record CheckoutSession(String id, String status, String paymentStatus, long amountTotal, String currency,
        @Nullable String customerEmail, @Nullable String clientReferenceId, Map<String, String> metadata,
        Map<String, String> paymentIntentMetadata, @Nullable String paymentIntent, Instant expiresAt,
        @Nullable String successUrl, @Nullable String cancelUrl, String url) {

    CheckoutSession withStatus(String newStatus, String newPaymentStatus, @Nullable String newPaymentIntent) {
        return new CheckoutSession(id, newStatus, newPaymentStatus, amountTotal, currency, customerEmail, clientReferenceId,
                metadata, paymentIntentMetadata, newPaymentIntent, expiresAt, successUrl, cancelUrl, url);
    }
}
