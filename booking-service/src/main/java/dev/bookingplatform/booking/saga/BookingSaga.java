package dev.bookingplatform.booking.saga;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.bookingplatform.booking.persistence.BookedLineItem;
import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.eventing.consumer.NonRetryableEventException;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.booking.BookingCancellationRequested;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.BookingConfirmed;
import dev.bookingplatform.events.booking.BookingRejected;
import dev.bookingplatform.events.booking.CancellationReason;
import dev.bookingplatform.events.booking.PaymentRequested;
import dev.bookingplatform.events.inventory.InventoryHoldExpired;
import dev.bookingplatform.events.inventory.InventoryRejected;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentFailureReason;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSessionCreated;
import dev.bookingplatform.events.payment.PaymentSucceeded;

/**
 * The booking saga's orchestrator: each step locks the booking, checks the move against
 * {@link BookingStatus}, applies it and appends the next command or announcement to the outbox, all in
 * the transaction of the event (or request) that triggered it. A move the state machine does not allow
 * is refused through {@link RefusedTransitions}, never applied.
 */
@Service
public class BookingSaga {

    private static final Logger log = LoggerFactory.getLogger(BookingSaga.class);

    private final BookingRepository bookings;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    private final RefusedTransitions refused;

    BookingSaga(BookingRepository bookings, OutboxWriter outbox, EventMetadataFactory metadata, RefusedTransitions refused) {
        this.bookings = bookings;
        this.outbox = outbox;
        this.metadata = metadata;
        this.refused = refused;
    }

    void onInventoryReserved(InventoryReserved event) {
        Booking booking = lock(event.getBookingId());
        if (move(booking, BookingStatus.AWAITING_PAYMENT, "InventoryReserved", null, null)) {
            bookings.recordReservation(booking.id(), event.getLineItems().stream().map(BookedLineItem::of).toList(),
                    event.getTotalMinor(), event.getCurrency(), event.getHoldExpiresAt());
            outbox.append(key(booking), new PaymentRequested(metadata.next(), booking.id(), event.getTotalMinor(),
                    event.getCurrency(), booking.customerEmail(), booking.quantity() + " x " + booking.resourceId(),
                    event.getHoldExpiresAt(), booking.customerName()));
        }
    }

    void onInventoryRejected(InventoryRejected event) {
        Booking booking = lock(event.getBookingId());
        if (move(booking, BookingStatus.REJECTED, "InventoryRejected", event.getReasonCode().name(), event.getReason())) {
            outbox.append(key(booking), new BookingRejected(metadata.next(), booking.id(), booking.customerEmail(),
                    booking.customerName(), booking.resourceId(), event.getReason()));
        }
    }

    void onPaymentSessionCreated(PaymentSessionCreated event) {
        Booking booking = lock(event.getBookingId());
        if (booking.status() == BookingStatus.AWAITING_PAYMENT) {
            bookings.recordCheckout(booking.id(), event.getSessionId(), event.getCheckoutUrl());
        }
        else {
            log.info("Booking {} is {}; checkout session {} not shown", booking.id(), booking.status(), event.getSessionId());
        }
    }

    /**
     * Confirms a paid booking. A payment that lands after the booking was cancelled (the hold expired
     * while the customer was paying) is refunded: the money must go back, the booking stays cancelled.
     */
    void onPaymentSucceeded(PaymentSucceeded event) {
        Booking booking = lock(event.getBookingId());
        if (booking.status() == BookingStatus.CANCELLED && booking.refundRequestedAt() == null) {
            log.warn("Booking {} was paid after it was cancelled; refunding payment {}", booking.id(), event.getPaymentIntentId());
            bookings.recordPayment(booking.id(), event.getPaymentIntentId());
            requestRefund(booking, event.getAmountMinor(), event.getCurrency(), "Paid after the booking was cancelled");
            return;
        }
        if (move(booking, BookingStatus.CONFIRMED, "PaymentSucceeded", null, null)) {
            bookings.recordPayment(booking.id(), event.getPaymentIntentId());
            outbox.append(key(booking), new BookingConfirmed(metadata.next(), booking.id(), booking.customerEmail(),
                    booking.customerName(), booking.resourceId(), booking.slotStart(), booking.slotEnd(), booking.quantity(),
                    booking.lineItems().stream().map(BookedLineItem::toEvent).toList(), requireTotal(booking),
                    requireCurrency(booking), event.getPaymentIntentId()));
        }
    }

    void onPaymentFailed(PaymentFailed event) {
        CancellationReason reason = event.getReasonCode() == PaymentFailureReason.SESSION_EXPIRED
                ? CancellationReason.HOLD_EXPIRED : CancellationReason.PAYMENT_FAILED;
        cancel(lock(event.getBookingId()), reason, event.getReason(), "PaymentFailed");
    }

    void onHoldExpired(InventoryHoldExpired event) {
        cancel(lock(event.getBookingId()), CancellationReason.HOLD_EXPIRED,
                "The booking was not paid in time", "InventoryHoldExpired");
    }

    void onPaymentRefunded(PaymentRefunded event) {
        Booking booking = lock(event.getBookingId());
        bookings.recordRefund(booking.id(), event.getRefundId());
        if (booking.status() == BookingStatus.CANCELLED) {
            return;
        }
        if (move(booking, BookingStatus.CANCELLED, "PaymentRefunded", CancellationReason.CUSTOMER_REQUEST.name(),
                "Cancelled at the customer's request and refunded")) {
            outbox.append(key(booking), new BookingCancelled(metadata.next(), booking.id(), booking.customerEmail(),
                    booking.customerName(), booking.resourceId(), CancellationReason.CUSTOMER_REQUEST,
                    "Cancelled at the customer's request and refunded", true));
        }
    }

    /**
     * The customer's cancellation. Before payment it ends the booking at once; after confirmation it asks
     * payment-service for the refund and ends the booking when the refund is done. Asking twice is one
     * request.
     *
     * @return the booking after the call
     * @throws IllegalStateException if the booking already ended
     */
    public Booking requestCancellation(UUID bookingId) {
        Booking booking = lock(bookingId);
        switch (booking.status()) {
            case PENDING, AWAITING_PAYMENT -> cancel(booking, CancellationReason.CUSTOMER_REQUEST,
                    "Cancelled at the customer's request", "CustomerCancel");
            case CONFIRMED -> {
                if (booking.cancellationRequestedAt() == null) {
                    bookings.recordCancellationRequested(bookingId);
                    requestRefund(booking, requireTotal(booking), requireCurrency(booking), "Cancelled by the customer");
                }
            }
            case REJECTED, CANCELLED -> throw new IllegalStateException(
                    "Booking " + bookingId + " is " + booking.status() + " and cannot be cancelled");
        }
        return bookings.find(bookingId).orElseThrow();
    }

    /** Ends an unpaid booking. A confirmed one is paid for and ends only through its refund. */
    private void cancel(Booking booking, CancellationReason reasonCode, String reason, String trigger) {
        if (booking.status() == BookingStatus.CONFIRMED) {
            refused.refuse(booking.id(), booking.status(), BookingStatus.CANCELLED, trigger);
            return;
        }
        if (move(booking, BookingStatus.CANCELLED, trigger, reasonCode.name(), reason)) {
            outbox.append(key(booking), new BookingCancelled(metadata.next(), booking.id(), booking.customerEmail(),
                    booking.customerName(), booking.resourceId(), reasonCode, reason, false));
        }
    }

    private void requestRefund(Booking booking, long amountMinor, String currency, String reason) {
        bookings.recordRefundRequested(booking.id());
        outbox.append(key(booking), new BookingCancellationRequested(metadata.next(), booking.id(), amountMinor, currency, reason));
    }

    private boolean move(Booking booking, BookingStatus target, String trigger, @Nullable String reasonCode,
            @Nullable String reason) {
        if (!booking.status().canMoveTo(target)) {
            refused.refuse(booking.id(), booking.status(), target, trigger);
            return false;
        }
        bookings.moveTo(booking.id(), target, reasonCode, reason);
        bookings.logTransition(booking.id(), booking.status(), target, trigger, true);
        log.info("Booking {} {} -> {} on {}", booking.id(), booking.status(), target, trigger);
        return true;
    }

    private Booking lock(UUID bookingId) {
        return bookings.lock(bookingId).orElseThrow(() ->
                new NonRetryableEventException("Booking " + bookingId + " does not exist in booking-service"));
    }

    private static String key(Booking booking) {
        return booking.id().toString();
    }

    private static long requireTotal(Booking booking) {
        if (booking.totalMinor() == null) {
            throw new NonRetryableEventException("Booking " + booking.id() + " has no price although it was reserved");
        }
        return booking.totalMinor();
    }

    private static String requireCurrency(Booking booking) {
        if (booking.currency() == null) {
            throw new NonRetryableEventException("Booking " + booking.id() + " has no currency although it was reserved");
        }
        return booking.currency();
    }
}
