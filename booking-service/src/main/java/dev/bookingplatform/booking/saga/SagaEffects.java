package dev.bookingplatform.booking.saga;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.bookingplatform.booking.persistence.BookedLineItem;
import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.eventing.consumer.NonRetryableEventException;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.booking.BookingCancellationRequested;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.BookingConfirmed;
import dev.bookingplatform.events.booking.BookingPaid;
import dev.bookingplatform.events.booking.BookingRejected;
import dev.bookingplatform.events.booking.CancellationReason;
import dev.bookingplatform.events.booking.PaymentRequested;
import dev.bookingplatform.events.inventory.HoldLost;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.payment.PaymentDeclined;
import dev.bookingplatform.events.payment.PaymentDisputed;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentRefundFailed;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSessionCreated;
import dev.bookingplatform.events.payment.PaymentSucceeded;

/**
 * Runs a {@link SagaEffect} for a booking, in the transaction of the step: a change to the booking's row,
 * an event appended to the outbox, or both. {@code cause} is what triggered the step (an event, or one of
 * {@link SagaCauses}); an effect that needs a cause of another type is a programming error in the table.
 */
@Component
class SagaEffects {

    private final BookingRepository bookings;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    private final MeterRegistry meters;

    private final Clock clock;

    SagaEffects(BookingRepository bookings, OutboxWriter outbox, EventMetadataFactory metadata, MeterRegistry meters, Clock clock) {
        this.bookings = bookings;
        this.outbox = outbox;
        this.metadata = metadata;
        this.meters = meters;
        this.clock = clock;
        // Served at 0 from the start: an alert on increase() never sees the first refusal of a series born at 1.
        for (BookingStatus status : BookingStatus.values()) {
            meters.counter("booking.refunds.failed", "state", status.name());
        }
    }

    /** @param booking the booking as locked before the move; {@code move} what the step decided */
    void run(SagaEffect effect, Booking booking, SagaTrigger trigger, Object cause, SagaStep move) {
        String key = booking.id().toString();
        switch (effect) {
            case RECORD_RESERVATION -> {
                InventoryReserved reserved = as(InventoryReserved.class, cause, effect);
                bookings.recordReservation(booking.id(), reserved.getLineItems().stream().map(BookedLineItem::of).toList(),
                        reserved.getTotalMinor(), reserved.getCurrency(), reserved.getHoldExpiresAt());
            }
            case REQUEST_PAYMENT -> {
                InventoryReserved reserved = as(InventoryReserved.class, cause, effect);
                outbox.append(key, new PaymentRequested(metadata.next(), booking.id(), reserved.getTotalMinor(),
                        reserved.getCurrency(), booking.customerEmail(), booking.quantity() + " x " + booking.resourceId(),
                        reserved.getHoldExpiresAt(), booking.customerName()));
            }
            case RECORD_CHECKOUT -> {
                PaymentSessionCreated session = as(PaymentSessionCreated.class, cause, effect);
                bookings.recordCheckout(booking.id(), session.getSessionId(), session.getCheckoutUrl());
            }
            case RECORD_DECLINE -> bookings.recordDecline(booking.id(), cause instanceof PaymentDeclined declined
                    ? declined.getReason() : as(PaymentFailed.class, cause, effect).getReason());
            case RECORD_PROCESSING -> bookings.recordProcessing(booking.id(), clock.instant());
            case RECORD_PAYMENT -> bookings.recordPayment(booking.id(), as(PaymentSucceeded.class, cause, effect).getPaymentIntentId());
            case REQUEST_HOLD_CONFIRMATION -> {
                PaymentSucceeded paid = as(PaymentSucceeded.class, cause, effect);
                outbox.append(key, new BookingPaid(metadata.next(), booking.id(), paid.getPaymentIntentId(), paid.getAmountMinor(),
                        paid.getCurrency()));
            }
            case ANNOUNCE_CONFIRMED -> outbox.append(key, new BookingConfirmed(metadata.next(), booking.id(), booking.customerEmail(),
                    booking.customerName(), booking.resourceId(), booking.slotStart(), booking.slotEnd(), booking.quantity(),
                    booking.lineItems().stream().map(BookedLineItem::toEvent).toList(), requireTotal(booking),
                    requireCurrency(booking), booking.paymentIntentId() != null ? booking.paymentIntentId() : ""));
            case ANNOUNCE_REJECTED -> outbox.append(key, new BookingRejected(metadata.next(), booking.id(), booking.customerEmail(),
                    booking.customerName(), booking.resourceId(), move.reason()));
            case ANNOUNCE_ENDED_UNPAID -> outbox.append(key, new BookingCancelled(metadata.next(), booking.id(),
                    booking.customerEmail(), booking.customerName(), booking.resourceId(),
                    CancellationReason.valueOf(move.reasonCode()), move.reason(), false));
            case REQUEST_REFUND -> requestRefund(booking, trigger, cause, move);
            case RECORD_REFUND -> bookings.recordRefund(booking.id(), as(PaymentRefunded.class, cause, effect).getRefundId());
            case ANNOUNCE_CANCELLED_REFUNDED -> {
                CancellationReason reason = "HOLD_LOST".equals(booking.reasonCode()) ? CancellationReason.HOLD_LOST
                        : "OTHER".equals(booking.reasonCode()) ? CancellationReason.OTHER : CancellationReason.CUSTOMER_REQUEST;
                outbox.append(key, new BookingCancelled(metadata.next(), booking.id(), booking.customerEmail(),
                        booking.customerName(), booking.resourceId(), reason,
                        booking.reason() != null ? booking.reason() : "Cancelled and refunded", true));
            }
            case RECORD_REFUND_FAILURE -> {
                bookings.recordRefundFailure(booking.id(), as(PaymentRefundFailed.class, cause, effect).getReason(), clock.instant());
                meters.counter("booking.refunds.failed", "state", booking.status().name()).increment();
            }
            case RECORD_DISPUTE -> {
                bookings.recordDispute(booking.id(), as(PaymentDisputed.class, cause, effect).getReason(), clock.instant());
                meters.counter("booking.payments.disputed").increment();
            }
            case FLAG_FOR_OPS -> {
                bookings.flag(booking.id(), as(SagaCauses.Deadline.class, cause, effect).reason(), clock.instant());
                meters.counter("booking.saga.overdue", "state", booking.status().name()).increment();
            }
        }
    }

    private void requestRefund(Booking booking, SagaTrigger trigger, Object cause, SagaStep move) {
        long amount;
        String currency = requireCurrency(booking);
        String reason;
        if (cause instanceof PaymentSucceeded latePayment) {
            amount = latePayment.getAmountMinor();
            currency = latePayment.getCurrency();
            reason = "Your payment arrived after the booking had ended (" + booking.status().name().toLowerCase(java.util.Locale.ROOT)
                    + "); it is refunded in full.";
        }
        else if (cause instanceof HoldLost lost) {
            amount = requireTotal(booking);
            reason = "We could not keep your booking: " + lost.getReason() + ". Your payment is refunded in full.";
        }
        else if (cause instanceof SagaCauses.CustomerCancellation cancellation) {
            amount = cancellation.refundMinor();
            reason = cancellation.reason();
            bookings.recordCancellationRequested(booking.id());
        }
        else if (cause instanceof SagaCauses.Compensation) {
            amount = requireTotal(booking);
            reason = move.reason();
            bookings.recordCancellationRequested(booking.id());
        }
        else if (cause instanceof SagaCauses.OpsRequest ops && booking.settlement().refundAmountMinor() != null
                && (booking.status() == BookingStatus.REFUND_FAILED || booking.settlement().refundFailedAt() != null)) {
            amount = booking.settlement().refundAmountMinor();
            reason = "Your refund for booking " + booking.id() + " is sent again (" + ops.reason() + ").";
        }
        else {
            throw new IllegalStateException("No refund amount for " + trigger + " caused by " + cause.getClass().getSimpleName());
        }
        int attempt = booking.settlement().refundAttempt() + 1;
        bookings.recordRefundRequested(booking.id(), amount, attempt);
        outbox.append(booking.id().toString(), new BookingCancellationRequested(metadata.next(), booking.id(), amount, currency,
                reason, attempt));
    }

    private static <T> T as(Class<T> type, Object cause, SagaEffect effect) {
        if (!type.isInstance(cause)) {
            throw new IllegalStateException(effect + " needs a " + type.getSimpleName() + ", got " + cause.getClass().getSimpleName());
        }
        return type.cast(cause);
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
