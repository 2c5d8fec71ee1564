package dev.bookingplatform.payment.session;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.bookingplatform.eventing.consumer.NonRetryableEventException;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.booking.BookingCancellationRequested;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.PaymentRequested;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSessionCreated;
import dev.bookingplatform.payment.gateway.PaymentGateway;
import dev.bookingplatform.payment.gateway.PaymentGateway.CheckoutRequest;
import dev.bookingplatform.payment.gateway.StripeCallFailed;

/**
 * payment-service's part of the saga, driven by booking-service's commands: open a Checkout Session, close
 * it when the booking ends unpaid, refund when a paid booking is cancelled. The provider is called inside
 * the event's transaction with an idempotency key per booking, so a redelivery repeats the same call and
 * gets the same answer instead of a second session or refund.
 */
@Service
public class PaymentService {

    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

    /**
     * The inventory hold decides when an unpaid booking ends (and payment-service then expires the session);
     * Stripe's own expiry, a little later, is only the backstop should that expiry never arrive.
     */
    static final java.time.Duration STRIPE_EXPIRY_GRACE = java.time.Duration.ofSeconds(60);

    private final PaymentSessions sessions;

    private final PaymentGateway gateway;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    PaymentService(PaymentSessions sessions, PaymentGateway gateway, OutboxWriter outbox, EventMetadataFactory metadata) {
        this.sessions = sessions;
        this.gateway = gateway;
        this.outbox = outbox;
        this.metadata = metadata;
    }

    void openCheckout(PaymentRequested request) {
        UUID bookingId = request.getBookingId();
        if (sessions.lock(bookingId).isPresent()) {
            log.info("Booking {} already has a checkout session; request ignored", bookingId);
            return;
        }
        PaymentGateway.CheckoutSession session = provider(() -> gateway.createCheckoutSession(new CheckoutRequest(bookingId,
                request.getAmountMinor(), request.getCurrency(), request.getCustomerEmail(), request.getDescription(),
                request.getPayBy().plus(STRIPE_EXPIRY_GRACE))));
        sessions.insert(bookingId, session.sessionId(), request.getAmountMinor(), request.getCurrency(),
                request.getCustomerEmail(), request.getCustomerName(), session.checkoutUrl(), session.expiresAt());
        outbox.append(bookingId.toString(), new PaymentSessionCreated(metadata.next(), bookingId, session.sessionId(),
                session.checkoutUrl(), session.expiresAt()));
    }

    /** A booking that ended unpaid must not be payable any more: its open session is expired at the provider. */
    void closeCheckout(BookingCancelled cancelled) {
        if (cancelled.getRefundFollows()) {
            return;
        }
        sessions.lock(cancelled.getBookingId())
                .filter(session -> session.status() == PaymentSession.Status.OPEN || session.status() == PaymentSession.Status.FAILED)
                .ifPresent(session -> {
                    if (provider(() -> gateway.expireCheckoutSession(session.sessionId()))) {
                        sessions.mark(session.bookingId(), PaymentSession.Status.EXPIRED);
                    }
                    else {
                        log.warn("Checkout session {} of cancelled booking {} was already closed at Stripe; a payment, if any,"
                                + " arrives by webhook and is refunded by the saga", session.sessionId(), session.bookingId());
                    }
                });
    }

    void refund(BookingCancellationRequested request) {
        UUID bookingId = request.getBookingId();
        PaymentSession session = sessions.lock(bookingId).orElseThrow(() ->
                new NonRetryableEventException("Refund requested for booking " + bookingId + " which has no checkout session"));
        if (session.refundId() != null) {
            log.info("Booking {} was already refunded ({}); request ignored", bookingId, session.refundId());
            return;
        }
        if (session.status() != PaymentSession.Status.COMPLETED || session.paymentIntentId() == null) {
            throw new NonRetryableEventException("Refund requested for booking " + bookingId + " whose session "
                    + session.sessionId() + " is " + session.status() + ", not paid");
        }
        PaymentGateway.RefundResult refund = provider(() ->
                gateway.refund(bookingId, session.paymentIntentId(), request.getAmountMinor()));
        sessions.markRefunded(bookingId, refund.refundId());
        outbox.append(bookingId.toString(), new PaymentRefunded(metadata.next(), bookingId, refund.refundId(),
                refund.amountMinor(), refund.currency(), session.customerEmail(),
                session.customerName() != null ? session.customerName() : ""));
    }

    /** Permanent provider errors go to the dead-letter topic at once; transient ones are retried by the consumer. */
    private static <T> T provider(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        }
        catch (StripeCallFailed failed) {
            if (failed.isTransient()) {
                throw failed;
            }
            throw new NonRetryableEventException(failed.getMessage(), failed);
        }
    }
}
