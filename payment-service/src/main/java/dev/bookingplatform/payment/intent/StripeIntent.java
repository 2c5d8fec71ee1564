package dev.bookingplatform.payment.intent;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * One call payment-service owes Stripe, as recorded and as claimed by a worker: {@code claimToken} proves
 * the claim is still this worker's when it records the outcome.
 */
public record StripeIntent(long seq, UUID id, UUID bookingId, IntentKind kind, String idempotencyKey, JsonNode payload,
        int attempts, @Nullable UUID claimToken, @Nullable String correlationId, @Nullable UUID causationId,
        @Nullable String traceparent) {
}
