package dev.bookingplatform.payment.intent;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentFailureReason;
import dev.bookingplatform.events.payment.PaymentRefundFailed;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSessionCreated;
import dev.bookingplatform.payment.StripeProperties;
import dev.bookingplatform.payment.gateway.PaymentGateway;
import dev.bookingplatform.payment.gateway.PaymentGateway.CheckoutRequest;
import dev.bookingplatform.payment.session.PaymentSession;
import dev.bookingplatform.payment.session.PaymentSessions;

/**
 * The Stripe call of each kind of intent, and what its answer records. {@code openCheckout}, {@code closeCheckout}
 * and {@code refund} run outside any transaction; the {@link Outcome#record} they return runs in the
 * outcome's transaction. A {@code StripeCallFailed} they throw is the worker's to classify.
 */
@Component
class IntentCalls {

    private static final Logger log = LoggerFactory.getLogger(IntentCalls.class);

    private final PaymentGateway gateway;

    private final PaymentSessions sessions;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    private final StripeProperties properties;

    private final Clock clock;

    IntentCalls(PaymentGateway gateway, PaymentSessions sessions, OutboxWriter outbox, EventMetadataFactory metadata,
            StripeProperties properties, Clock clock) {
        this.gateway = gateway;
        this.sessions = sessions;
        this.outbox = outbox;
        this.metadata = metadata;
        this.properties = properties;
        this.clock = clock;
    }

    /** What became of an intent: {@code DONE} or {@code FAILED}, in words, and the changes to record. */
    record Outcome(String status, String description, Runnable record) {
    }

    Outcome openCheckout(StripeIntent intent, IntentPayloads.OpenCheckout checkout) {
        Instant latestStart = checkout.payBy().minus(properties.intents().sessionMinimum());
        // Only a first attempt is refused here: a retry may be the same call as one Stripe already carried out,
        // and must get Stripe's own answer (a replay of the session) rather than a refusal of ours.
        if (intent.attempts() <= 1 && clock.instant().isAfter(latestStart)) {
            return refused(intent, "The hold ends at " + checkout.payBy() + ", less than " + properties.intents().sessionMinimum()
                    + " from now: Stripe opens no shorter Checkout Session, and the session must not outlive the hold");
        }
        PaymentGateway.CheckoutSession session = gateway.createCheckoutSession(new CheckoutRequest(intent.bookingId(),
                checkout.amountMinor(), checkout.currency(), checkout.customerEmail(), checkout.description(), checkout.payBy()),
                intent.idempotencyKey());
        return new Outcome("DONE", "session " + session.sessionId(), () -> {
            if (sessions.lock(intent.bookingId()).isPresent()) {
                return;
            }
            sessions.insert(intent.bookingId(), session.sessionId(), checkout.amountMinor(), checkout.currency(),
                    checkout.customerEmail(), checkout.customerName(), session.checkoutUrl(), session.expiresAt());
            outbox.append(intent.bookingId().toString(), new PaymentSessionCreated(metadata.next(), intent.bookingId(),
                    session.sessionId(), session.checkoutUrl(), session.expiresAt()));
        });
    }

    Outcome closeCheckout(StripeIntent intent) {
        Optional<PaymentSession> known = sessions.find(intent.bookingId());
        if (known.isEmpty() || known.get().status() != PaymentSession.Status.OPEN) {
            return new Outcome("DONE", known.map(session -> "session already " + session.status()).orElse("no session was opened"),
                    () -> { });
        }
        String sessionId = known.get().sessionId();
        if (!gateway.expireCheckoutSession(sessionId, intent.idempotencyKey())) {
            log.warn("Checkout session {} of ended booking {} was already closed at Stripe; a payment, if any, arrives by webhook"
                    + " or reconciliation and is refunded by the saga", sessionId, intent.bookingId());
            return new Outcome("DONE", "already closed at Stripe", () -> { });
        }
        return new Outcome("DONE", "expired " + sessionId, () -> sessions.lock(intent.bookingId())
                .filter(session -> session.status() == PaymentSession.Status.OPEN)
                .ifPresent(session -> sessions.mark(intent.bookingId(), PaymentSession.Status.EXPIRED)));
    }

    Outcome refund(StripeIntent intent, IntentPayloads.Refund refund) {
        Optional<PaymentSession> known = sessions.find(intent.bookingId());
        if (known.isEmpty() || known.get().paymentIntentId() == null) {
            return refundFailed(intent, null, "Nothing was paid for this booking that could be refunded");
        }
        PaymentSession session = known.get();
        if (session.refundStatus() == PaymentSession.RefundStatus.SUCCEEDED) {
            return new Outcome("DONE", "already refunded (" + session.refundId() + ")", () -> { });
        }
        if (session.refundStatus() == PaymentSession.RefundStatus.PENDING) {
            // A refund is under way at Stripe; its webhook settles it. A second one now could pay back twice.
            return new Outcome("DONE", "refund " + session.refundId() + " still pending at Stripe", () -> { });
        }
        PaymentGateway.RefundResult result = (intent.attempts() > 1
                ? gateway.findRefund(session.paymentIntentId(), intent.idempotencyKey()) : Optional.<PaymentGateway.RefundResult>empty())
                .orElseGet(() -> gateway.refund(intent.bookingId(), session.paymentIntentId(), refund.amountMinor(),
                        intent.idempotencyKey()));
        return switch (result.status()) {
            case "succeeded" -> new Outcome("DONE", "refund " + result.refundId() + " succeeded", () -> {
                if (settledByWebhook(intent, result.refundId(), refund.reason())) {
                    return;
                }
                sessions.recordRefund(intent.bookingId(), result.refundId(), result.amountMinor(), refund.reason(),
                        PaymentSession.RefundStatus.SUCCEEDED, null);
                outbox.append(intent.bookingId().toString(), new PaymentRefunded(metadata.next(), intent.bookingId(),
                        result.refundId(), result.amountMinor(), result.currency(), session.customerEmail(),
                        session.customerNameOrEmpty(), refund.reason()));
            });
            case "failed", "canceled" -> refundFailed(intent, result.refundId(), "Stripe reports the refund " + result.status()
                    + (result.failureReason() != null ? ": " + result.failureReason() : ""));
            default -> new Outcome("DONE", "refund " + result.refundId() + " " + result.status() + ", settled by webhook", () -> {
                if (!settledByWebhook(intent, result.refundId(), refund.reason())) {
                    sessions.recordRefund(intent.bookingId(), result.refundId(), result.amountMinor(), refund.reason(),
                            PaymentSession.RefundStatus.PENDING, null);
                }
            });
        };
    }

    /**
     * Whether a webhook about this refund was applied before the call's answer is recorded (Stripe announces
     * a refund as soon as it exists): the refund is then known, its reason is kept, and nothing is sent twice.
     */
    private boolean settledByWebhook(StripeIntent intent, String refundId, String reason) {
        Optional<PaymentSession> locked = sessions.lock(intent.bookingId());
        if (locked.isPresent() && refundId.equals(locked.get().refundId())) {
            sessions.keepRefundReason(intent.bookingId(), reason);
            return true;
        }
        return false;
    }

    /** Stripe refused the call for good: the saga hears of it, and the intent ends FAILED. */
    Outcome refused(StripeIntent intent, String reason) {
        return switch (intent.kind()) {
            case CREATE_SESSION -> new Outcome("FAILED", reason, () -> outbox.append(intent.bookingId().toString(),
                    new PaymentFailed(metadata.next(), intent.bookingId(), "", PaymentFailureReason.SESSION_REFUSED,
                            "The payment could not be set up: " + reason)));
            case EXPIRE_SESSION -> new Outcome("FAILED", reason, () -> log.error("Stripe refused to expire the session of booking {}: {}",
                    intent.bookingId(), reason));
            case REFUND -> refundFailed(intent, null, reason);
        };
    }

    private Outcome refundFailed(StripeIntent intent, @org.jspecify.annotations.Nullable String refundId, String reason) {
        long attempted = intent.payload().path("amountMinor").asLong(0);
        return new Outcome("FAILED", reason, () -> {
            Optional<PaymentSession> session = sessions.lock(intent.bookingId());
            if (refundId != null && session.isPresent() && (session.get().refundFailedBefore(refundId)
                    || refundId.equals(session.get().refundId()) && session.get().refundStatus() == PaymentSession.RefundStatus.FAILED)) {
                return;
            }
            if (session.isPresent()) {
                if (refundId != null && !refundId.equals(session.get().refundId())) {
                    sessions.adoptRefund(intent.bookingId(), refundId, attempted > 0 ? attempted : session.get().amountMinor());
                }
                sessions.settleRefund(intent.bookingId(), PaymentSession.RefundStatus.FAILED, reason);
            }
            outbox.append(intent.bookingId().toString(), new PaymentRefundFailed(metadata.next(), intent.bookingId(), refundId, reason));
        });
    }
}
