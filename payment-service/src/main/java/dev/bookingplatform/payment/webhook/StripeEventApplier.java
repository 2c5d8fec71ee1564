package dev.bookingplatform.payment.webhook;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.bookingplatform.eventing.correlation.CorrelationScope;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.payment.PaymentDeclined;
import dev.bookingplatform.events.payment.PaymentDisputed;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentFailureReason;
import dev.bookingplatform.events.payment.PaymentProcessing;
import dev.bookingplatform.events.payment.PaymentRefundFailed;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSucceeded;
import dev.bookingplatform.payment.session.PaymentSession;
import dev.bookingplatform.payment.session.PaymentSession.RefundStatus;
import dev.bookingplatform.payment.session.PaymentSession.Status;
import dev.bookingplatform.payment.session.PaymentSessions;

/**
 * What each Stripe event type means for a session, in the caller's transaction. The session's state
 * decides, not the arrival order: Stripe sends events late, twice and in any order. Only
 * {@code payment_status = paid} (or an async success) is money; a declined card keeps the session open.
 */
@Component
class StripeEventApplier {

    /** PROCESSED (something changed), IGNORED (a type we do not use) or DUPLICATE (already reflected). */
    record Applied(String status, @Nullable UUID bookingId) {
    }

    private final PaymentSessions sessions;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    StripeEventApplier(PaymentSessions sessions, OutboxWriter outbox, EventMetadataFactory metadata) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.metadata = metadata;
    }

    Applied apply(Event event, Instant now) {
        return switch (event.getType()) {
            case "checkout.session.completed" -> completed(dataObject(event, Session.class), event);
            case "checkout.session.async_payment_succeeded" -> paid(dataObject(event, Session.class), event);
            case "checkout.session.async_payment_failed" -> asyncFailed(dataObject(event, Session.class), event);
            case "checkout.session.expired" -> expired(dataObject(event, Session.class), event);
            case "payment_intent.payment_failed" -> declined(dataObject(event, PaymentIntent.class), event);
            case "refund.updated", "refund.failed", "charge.refund.updated" -> refundChanged(dataObject(event, Refund.class), event);
            case "charge.refunded" -> chargeRefunded(dataObject(event, Charge.class), event);
            case "charge.dispute.created" -> disputed(dataObject(event, Dispute.class), event, now);
            default -> new Applied("IGNORED", null);
        };
    }

    /**
     * Metadata in the booking's saga: a webhook (or reconciliation) comes from Stripe, outside the saga's correlation,
     * so its events carry the id the saga began with, kept with the session.
     */
    private EventMetadata next(UUID bookingId) {
        Optional<String> saga = sessions.correlationIdOf(bookingId);
        if (saga.isEmpty()) {
            return metadata.next();
        }
        try (CorrelationScope scope = CorrelationScope.request(saga.get())) {
            return metadata.next();
        }
    }

    /** What reconciliation read about a refund still pending here: the same change its webhook would make. */
    Applied refundTruth(Refund refund, Event syntheticFor) {
        return refundChanged(refund, syntheticFor);
    }

    /** The same change for a session Stripe reports complete, when reconciliation looked it up. */
    Applied sessionTruth(Session session, Event syntheticFor) {
        if ("expired".equals(session.getStatus())) {
            return expired(session, syntheticFor);
        }
        return "complete".equals(session.getStatus()) ? completed(session, syntheticFor) : new Applied("DUPLICATE", null);
    }

    private Applied completed(Session session, Event event) {
        String paymentStatus = session.getPaymentStatus();
        if ("paid".equals(paymentStatus) || "no_payment_required".equals(paymentStatus)) {
            return paid(session, event);
        }
        UUID bookingId = bookingIdOf(session.getMetadata(), event);
        PaymentSession known = lockSession(bookingId, event);
        if (known.status() != Status.OPEN) {
            return new Applied("DUPLICATE", bookingId);
        }
        sessions.mark(bookingId, Status.PROCESSING);
        outbox.append(bookingId.toString(), new PaymentProcessing(next(bookingId), bookingId, session.getId()));
        return new Applied("PROCESSED", bookingId);
    }

    private Applied paid(Session session, Event event) {
        UUID bookingId = bookingIdOf(session.getMetadata(), event);
        PaymentSession known = lockSession(bookingId, event);
        if (known.status() == Status.COMPLETED) {
            return new Applied("DUPLICATE", bookingId);
        }
        String paymentIntent = required(session.getPaymentIntent(), "payment_intent", event);
        sessions.markCompleted(bookingId, paymentIntent);
        outbox.append(bookingId.toString(), new PaymentSucceeded(next(bookingId), bookingId, session.getId(), paymentIntent,
                required(session.getAmountTotal(), "amount_total", event),
                required(session.getCurrency(), "currency", event).toUpperCase(Locale.ROOT)));
        return new Applied("PROCESSED", bookingId);
    }

    private Applied asyncFailed(Session session, Event event) {
        UUID bookingId = bookingIdOf(session.getMetadata(), event);
        PaymentSession known = lockSession(bookingId, event);
        if (known.status() != Status.OPEN && known.status() != Status.PROCESSING) {
            return new Applied("DUPLICATE", bookingId);
        }
        sessions.mark(bookingId, Status.FAILED);
        outbox.append(bookingId.toString(), new PaymentFailed(next(bookingId), bookingId, session.getId(),
                PaymentFailureReason.ASYNC_PAYMENT_FAILED, "The delayed payment failed"));
        return new Applied("PROCESSED", bookingId);
    }

    private Applied expired(Session session, Event event) {
        UUID bookingId = bookingIdOf(session.getMetadata(), event);
        PaymentSession known = lockSession(bookingId, event);
        if (known.status() != Status.OPEN) {
            return new Applied("DUPLICATE", bookingId);
        }
        sessions.mark(bookingId, Status.EXPIRED);
        outbox.append(bookingId.toString(), new PaymentFailed(next(bookingId), bookingId, session.getId(),
                PaymentFailureReason.SESSION_EXPIRED, "The checkout session expired unpaid"));
        return new Applied("PROCESSED", bookingId);
    }

    /** A declined card: recorded and told, nothing ends; Checkout lets the customer try another card. */
    private Applied declined(PaymentIntent intent, Event event) {
        UUID bookingId = bookingIdOf(intent.getMetadata(), event);
        PaymentSession known = lockSession(bookingId, event);
        if (known.status() != Status.OPEN) {
            return new Applied("DUPLICATE", bookingId);
        }
        var error = intent.getLastPaymentError();
        String reason = error != null && error.getMessage() != null ? error.getMessage() : "The payment was declined";
        sessions.recordDecline(bookingId, reason);
        outbox.append(bookingId.toString(), new PaymentDeclined(next(bookingId), bookingId, known.sessionId(), reason,
                error != null ? error.getDeclineCode() : null));
        return new Applied("PROCESSED", bookingId);
    }

    /**
     * A refund's news. It may arrive before payment-service recorded the refund call's answer (Stripe sends
     * webhooks as soon as the refund exists): the refund's {@code metadata.bookingId} then finds the session,
     * which adopts the refund here; the call's answer, recorded later, finds it known and adds nothing.
     */
    private Applied refundChanged(Refund refund, Event event) {
        Optional<PaymentSession> known = refund.getId() == null ? Optional.empty() : sessions.lockByRefund(refund.getId());
        if (known.isEmpty() && refund.getMetadata() != null && refund.getMetadata().get("bookingId") != null) {
            UUID bookingId = bookingIdOf(refund.getMetadata(), event);
            // A new refund (the first, or one after a failed one), never one Stripe already reported failed.
            known = sessions.lock(bookingId).filter(session -> !session.refundFailedBefore(refund.getId())
                    && (session.refundId() == null || session.refundStatus() == RefundStatus.FAILED));
            known.ifPresent(session -> sessions.adoptRefund(bookingId, refund.getId(),
                    refund.getAmount() != null ? refund.getAmount() : session.amountMinor()));
            known = known.flatMap(session -> sessions.lock(bookingId));
        }
        if (known.isEmpty()) {
            return new Applied("IGNORED", null);
        }
        PaymentSession session = known.get();
        return switch (refund.getStatus() == null ? "" : refund.getStatus()) {
            case "succeeded" -> refunded(session, refund.getId());
            case "failed", "canceled" -> refundFailed(session, refund.getId(), "Stripe reports the refund " + refund.getStatus()
                    + (refund.getFailureReason() != null ? ": " + refund.getFailureReason() : ""));
            default -> new Applied("DUPLICATE", session.bookingId());
        };
    }

    private Applied chargeRefunded(Charge charge, Event event) {
        Optional<PaymentSession> known = charge.getPaymentIntent() == null ? Optional.empty()
                : sessions.lockByPaymentIntent(charge.getPaymentIntent());
        if (known.isEmpty() || known.get().refundId() == null || known.get().refundAmountMinor() == null) {
            return new Applied("IGNORED", known.map(PaymentSession::bookingId).orElse(null));
        }
        PaymentSession session = known.get();
        // charge.refunded carries the charge's cumulative amount_refunded, not which refund it is about: it settles
        // ours only when it can only be ours (the one refund, in full, fully refunded); else refund.updated does.
        boolean onlyOurs = session.refundStatus() == RefundStatus.PENDING && session.failedRefundIds().isEmpty()
                && Boolean.TRUE.equals(charge.getRefunded()) && session.refundAmountMinor() == session.amountMinor();
        return onlyOurs ? refunded(session, session.refundId()) : new Applied("DUPLICATE", session.bookingId());
    }

    private Applied refunded(PaymentSession session, String refundId) {
        if (session.refundStatus() == RefundStatus.SUCCEEDED || session.refundFailedBefore(refundId)) {
            return new Applied("DUPLICATE", session.bookingId());
        }
        sessions.settleRefund(session.bookingId(), RefundStatus.SUCCEEDED, null);
        long amount = session.refundAmountMinor() != null ? session.refundAmountMinor() : session.amountMinor();
        outbox.append(session.bookingId().toString(), new PaymentRefunded(next(session.bookingId()), session.bookingId(), refundId, amount,
                session.currency(), session.customerEmail(), session.customerNameOrEmpty(),
                session.refundReason() != null ? session.refundReason() : ""));
        return new Applied("PROCESSED", session.bookingId());
    }

    private Applied refundFailed(PaymentSession session, String refundId, String reason) {
        if (session.refundFailedBefore(refundId) || (session.refundStatus() == RefundStatus.FAILED && refundId.equals(session.refundId()))) {
            return new Applied("DUPLICATE", session.bookingId());
        }
        sessions.settleRefund(session.bookingId(), RefundStatus.FAILED, reason);
        outbox.append(session.bookingId().toString(), new PaymentRefundFailed(next(session.bookingId()), session.bookingId(), refundId, reason));
        return new Applied("PROCESSED", session.bookingId());
    }

    private Applied disputed(Dispute dispute, Event event, Instant now) {
        Optional<PaymentSession> known = dispute.getPaymentIntent() == null ? Optional.empty()
                : sessions.lockByPaymentIntent(dispute.getPaymentIntent());
        if (known.isEmpty()) {
            return new Applied("IGNORED", null);
        }
        PaymentSession session = known.get();
        if (session.disputedAt() != null) {
            return new Applied("DUPLICATE", session.bookingId());
        }
        sessions.markDisputed(session.bookingId(), now);
        outbox.append(session.bookingId().toString(), new PaymentDisputed(next(session.bookingId()), session.bookingId(),
                required(dispute.getId(), "id", event), dispute.getAmount() != null ? dispute.getAmount() : session.amountMinor(),
                dispute.getCurrency() != null ? dispute.getCurrency().toUpperCase(Locale.ROOT) : session.currency(),
                dispute.getReason() != null ? dispute.getReason() : "unknown"));
        return new Applied("PROCESSED", session.bookingId());
    }

    private PaymentSession lockSession(UUID bookingId, Event event) {
        return sessions.lock(bookingId).orElseThrow(() -> new MalformedWebhookException(
                "Event " + event.getId() + " is about booking " + bookingId + ", which has no checkout session here"));
    }

    private static <T extends StripeObject> T dataObject(Event event, Class<T> type) {
        StripeObject object;
        try {
            var deserializer = event.getDataObjectDeserializer();
            object = deserializer.getObject().isPresent() ? deserializer.getObject().get() : deserializer.deserializeUnsafe();
        }
        catch (EventDataObjectDeserializationException | RuntimeException e) {
            throw new MalformedWebhookException("Event " + event.getId() + " has an unreadable data.object", e);
        }
        if (!type.isInstance(object)) {
            throw new MalformedWebhookException("Event " + event.getId() + " of type " + event.getType()
                    + " carries a " + (object == null ? "nothing" : object.getClass().getSimpleName()) + ", not a " + type.getSimpleName());
        }
        return type.cast(object);
    }

    private static UUID bookingIdOf(@Nullable Map<String, String> metadata, Event event) {
        String bookingId = metadata == null ? null : metadata.get("bookingId");
        try {
            return UUID.fromString(required(bookingId, "metadata.bookingId", event));
        }
        catch (IllegalArgumentException e) {
            throw new MalformedWebhookException("Event " + event.getId() + " has a metadata.bookingId that is not a UUID");
        }
    }

    private static <T> T required(@Nullable T value, String field, Event event) {
        if (value == null) {
            throw new MalformedWebhookException("Event " + event.getId() + " of type " + event.getType() + " lacks " + field);
        }
        return value;
    }
}
