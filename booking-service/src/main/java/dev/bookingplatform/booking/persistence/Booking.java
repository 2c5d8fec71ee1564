package dev.bookingplatform.booking.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.booking.saga.BookingStatus;

/** A booking as stored. Changed only through {@link BookingRepository}'s named updates, under a row lock. */
public record Booking(UUID id, BookingStatus status, String customerEmail, String customerName,
        @Nullable String customerLocale, String resourceId, Instant slotStart, Instant slotEnd, int quantity,
        List<BookedAddOn> addOns, List<BookedLineItem> lineItems, @Nullable Long totalMinor, @Nullable String currency,
        @Nullable Instant holdExpiresAt, @Nullable String paymentSessionId, @Nullable String checkoutUrl,
        @Nullable String paymentIntentId, @Nullable Instant cancellationRequestedAt, @Nullable Instant refundRequestedAt,
        @Nullable String refundId, @Nullable String reasonCode, @Nullable String reason, Instant createdAt,
        Instant updatedAt, Instant statusChangedAt, Settlement settlement,
        dev.bookingplatform.booking.catalog.KnownResources.@Nullable CancellationTerms agreedCancellationTerms) {

    /** Without the customer's e-mail address and name: records end up in log lines (Spring logs bodies at DEBUG). */
    @Override
    public String toString() {
        return "Booking[id=" + id + ", status=" + status + ", resourceId=" + resourceId + "]";
    }

    /** A new booking as the API accepted it: {@code PENDING}, nothing reserved or paid yet. */
    public static Booking requested(UUID id, String customerEmail, String customerName, @Nullable String customerLocale,
            String resourceId, Instant slotStart, Instant slotEnd, int quantity, List<BookedAddOn> addOns, Instant now) {
        return new Booking(id, BookingStatus.PENDING, customerEmail, customerName, customerLocale, resourceId, slotStart,
                slotEnd, quantity, addOns, List.of(), null, null, null, null, null, null, null, null, null, null, null, now, now,
                now, Settlement.NONE, null);
    }

    /**
     * How the money side of the booking went, beyond its state: declined attempts (the session stays open),
     * a delayed payment in progress, the refund asked for and whether Stripe refused it, a dispute, and
     * a flag for ops when a step overran its deadline.
     */
    public record Settlement(int declinedAttempts, @Nullable String lastDeclineReason, @Nullable Instant paymentProcessingAt,
            @Nullable Long refundAmountMinor, int refundAttempt, @Nullable Instant refundFailedAt,
            @Nullable String refundFailure, @Nullable Instant disputedAt, @Nullable String disputeReason,
            @Nullable Instant flaggedAt, @Nullable String flagReason) {

        public static final Settlement NONE = new Settlement(0, null, null, null, 0, null, null, null, null, null, null);
    }
}
