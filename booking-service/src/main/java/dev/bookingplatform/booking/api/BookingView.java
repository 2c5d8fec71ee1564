package dev.bookingplatform.booking.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.booking.persistence.BookedAddOn;
import dev.bookingplatform.booking.persistence.BookedLineItem;
import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.booking.saga.BookingStatus;

/** A booking as the gateway sees it. */
public record BookingView(UUID id, BookingStatus status, String customerEmail, String customerName, String resourceId,
        Instant slotStart, Instant slotEnd, int quantity, List<BookedAddOn> addOns, List<BookedLineItem> lineItems,
        @Nullable Long totalMinor, @Nullable String currency, @Nullable String checkoutUrl, @Nullable Instant payBy,
        @Nullable String reasonCode, @Nullable String reason, boolean cancellationRequested, @Nullable String refundId,
        Instant createdAt, Instant updatedAt, Payment payment) {

    /** Without the customer's e-mail address and name: records end up in log lines (Spring logs bodies at DEBUG). */
    @Override
    public String toString() {
        return "BookingView[id=" + id + ", status=" + status + ", resourceId=" + resourceId + "]";
    }

    /**
     * The money side: declined attempts (the session stays open for another card), a delayed payment still
     * processing, what was refunded or asked back, a refund Stripe refused, a dispute.
     */
    public record Payment(int declinedAttempts, @Nullable String lastDeclineReason, boolean processing,
            @Nullable Long refundAmountMinor, @Nullable String refundFailure, boolean disputed) {
    }

    public static BookingView of(Booking booking) {
        boolean awaitingPayment = booking.status() == BookingStatus.AWAITING_PAYMENT;
        return new BookingView(booking.id(), booking.status(), booking.customerEmail(), booking.customerName(),
                booking.resourceId(), booking.slotStart(), booking.slotEnd(), booking.quantity(), booking.addOns(),
                booking.lineItems(), booking.totalMinor(), booking.currency(),
                awaitingPayment ? booking.checkoutUrl() : null, awaitingPayment ? booking.holdExpiresAt() : null,
                booking.reasonCode(), booking.reason(), booking.cancellationRequestedAt() != null, booking.refundId(),
                booking.createdAt(), booking.updatedAt(), new Payment(booking.settlement().declinedAttempts(),
                        booking.settlement().lastDeclineReason(), booking.settlement().paymentProcessingAt() != null,
                        booking.settlement().refundAmountMinor(), booking.settlement().refundFailure(),
                        booking.settlement().disputedAt() != null));
    }
}
