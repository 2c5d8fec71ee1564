package dev.bookingplatform.payment.session;

import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.bookingplatform.events.booking.BookingCancellationRequested;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.PaymentRequested;
import dev.bookingplatform.payment.intent.IntentKind;
import dev.bookingplatform.payment.intent.IntentPayloads;
import dev.bookingplatform.payment.intent.StripeIntents;

/**
 * payment-service's part of the saga, driven by booking-service's commands: open a Checkout Session, close
 * it when the booking ends unpaid, refund when a paid booking is given back. Each command only records an
 * intent in the event's transaction; {@code StripeIntentWorker} makes the call after commit, with the
 * intent's idempotency key, so a redelivery or a retry is the same call and never a second session or refund.
 */
@Service
public class PaymentService {

    private final StripeIntents intents;

    PaymentService(StripeIntents intents) {
        this.intents = intents;
    }

    void openCheckout(PaymentRequested request) {
        UUID bookingId = request.getBookingId();
        intents.record(bookingId, IntentKind.CREATE_SESSION, "checkout-" + bookingId, new IntentPayloads.OpenCheckout(
                request.getAmountMinor(), request.getCurrency(), request.getCustomerEmail(), request.getCustomerName(),
                request.getDescription(), request.getPayBy()));
    }

    /** A booking that ended unpaid must not be payable any more: its open session is expired at the provider. */
    void closeCheckout(BookingCancelled cancelled) {
        if (cancelled.getRefundFollows()) {
            return;
        }
        UUID bookingId = cancelled.getBookingId();
        intents.record(bookingId, IntentKind.EXPIRE_SESSION, "expire-" + bookingId,
                new IntentPayloads.CloseCheckout(cancelled.getReasonCode().name()));
    }

    void refund(BookingCancellationRequested request) {
        UUID bookingId = request.getBookingId();
        intents.record(bookingId, IntentKind.REFUND, "refund-" + bookingId + "-" + request.getAttempt(), new IntentPayloads.Refund(
                request.getAmountMinor(), request.getCurrency(), request.getReason(), request.getAttempt()));
    }
}
