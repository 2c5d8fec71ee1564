package dev.bookingplatform.payment.gateway;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.stripe.model.Event;

import org.jspecify.annotations.Nullable;

/**
 * The payment provider as payment-service needs it. Every write carries the idempotency key of the intent
 * it carries out, so a retried call (after a timeout, a crash, a lost lease) is the same call to the provider
 * and never charges or refunds twice. No call is ever made inside a database transaction.
 */
public interface PaymentGateway {

    CheckoutSession createCheckoutSession(CheckoutRequest request, String idempotencyKey);

    /**
     * Ends an unpaid session so it can no longer be paid.
     *
     * @return false if the session was already closed (paid or expired) at the provider
     */
    boolean expireCheckoutSession(String sessionId, String idempotencyKey);

    /** Refunds {@code amountMinor} of a payment. */
    RefundResult refund(UUID bookingId, String paymentIntentId, long amountMinor, String idempotencyKey);

    /**
     * The refund an earlier attempt of this intent made, if Stripe has one: found by the intent's key in the
     * refund's metadata, because Stripe forgets idempotency keys after 24 hours and a retry after a long
     * outage must not become a second refund.
     */
    java.util.Optional<RefundResult> findRefund(String paymentIntentId, String idempotencyKey);

    /** The provider's truth about one refund, for reconciliation. */
    com.stripe.model.Refund retrieveRefund(String refundId);

    /** The provider's truth about one session, for reconciliation. */
    com.stripe.model.checkout.Session retrieveCheckoutSession(String sessionId);

    /** One page of the provider's events created at or after {@code createdFrom}, newest first. */
    EventPage listEvents(long createdFrom, @Nullable String startingAfter, int limit);

    record CheckoutRequest(UUID bookingId, long amountMinor, String currency, String customerEmail, String description,
            Instant expiresAt) {

        /** Without the customer's e-mail address. */
        @Override
        public String toString() {
            return "CheckoutRequest[bookingId=" + bookingId + ", amountMinor=" + amountMinor + ", currency=" + currency + "]";
        }
    }

    record CheckoutSession(String sessionId, String checkoutUrl, Instant expiresAt) {
    }

    /** {@code status} is Stripe's: {@code succeeded}, {@code pending}, {@code requires_action}, {@code failed}, {@code canceled}. */
    record RefundResult(String refundId, long amountMinor, String currency, String status, @Nullable String failureReason) {
    }

    record EventPage(List<Event> events, boolean hasMore) {
    }
}
