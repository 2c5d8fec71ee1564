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
        @Nullable String paymentReference, @Nullable Instant cancellationRequestedAt, @Nullable Instant refundRequestedAt,
        @Nullable String refundId, @Nullable String reasonCode, @Nullable String reason, Instant createdAt,
        Instant updatedAt) {
}
