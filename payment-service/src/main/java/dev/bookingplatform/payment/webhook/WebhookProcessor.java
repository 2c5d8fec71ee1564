package dev.bookingplatform.payment.webhook;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentFailureReason;
import dev.bookingplatform.events.payment.PaymentSucceeded;
import dev.bookingplatform.payment.session.PaymentSession;
import dev.bookingplatform.payment.session.PaymentSessions;

/**
 * Turns a verified Stripe event into the saga's event, exactly once: the webhook record, the session's
 * new state and the outbox event commit together. The session's state decides, not the arrival order:
 * an {@code expired} after {@code completed} changes nothing, a {@code completed} after {@code expired}
 * still reports the payment (the saga refunds it).
 */
@Component
class WebhookProcessor {

    private final WebhookEvents records;

    private final PaymentSessions sessions;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    private final TransactionTemplate transactions;

    WebhookProcessor(WebhookEvents records, PaymentSessions sessions, OutboxWriter outbox, EventMetadataFactory metadata,
            TransactionTemplate transactions) {
        this.records = records;
        this.sessions = sessions;
        this.outbox = outbox;
        this.metadata = metadata;
        this.transactions = transactions;
    }

    WebhookOutcome process(Event event) {
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                var previous = records.claim(event.getId(), event.getType());
                if (previous.isPresent()) {
                    if ("PROCESSED".equals(previous.get()) || "IGNORED".equals(previous.get())) {
                        return new WebhookOutcome.Duplicate(event.getId());
                    }
                    records.startAttempt(event.getId());
                }
                return apply(event);
            }));
        }
        catch (RuntimeException failure) {
            records.recordFailure(event.getId(), event.getType(), failure.getClass().getSimpleName() + ": " + failure.getMessage());
            throw failure;
        }
    }

    private WebhookOutcome apply(Event event) {
        UUID bookingId;
        switch (event.getType()) {
            case "checkout.session.completed" -> {
                Session session = dataObject(event, Session.class);
                bookingId = bookingIdOf(session.getMetadata(), event);
                PaymentSession known = lockSession(bookingId, event);
                if (known.status() != PaymentSession.Status.COMPLETED) {
                    sessions.markCompleted(bookingId, required(session.getPaymentIntent(), "payment_intent", event));
                    outbox.append(bookingId.toString(), new PaymentSucceeded(metadata.next(), bookingId, session.getId(),
                            session.getPaymentIntent(), required(session.getAmountTotal(), "amount_total", event),
                            required(session.getCurrency(), "currency", event).toUpperCase(Locale.ROOT)));
                }
            }
            case "checkout.session.expired" -> {
                Session session = dataObject(event, Session.class);
                bookingId = bookingIdOf(session.getMetadata(), event);
                PaymentSession known = lockSession(bookingId, event);
                if (known.status() == PaymentSession.Status.OPEN) {
                    sessions.mark(bookingId, PaymentSession.Status.EXPIRED);
                    outbox.append(bookingId.toString(), new PaymentFailed(metadata.next(), bookingId, session.getId(),
                            PaymentFailureReason.SESSION_EXPIRED, "The checkout session expired unpaid"));
                }
                else if (known.status() == PaymentSession.Status.FAILED) {
                    sessions.mark(bookingId, PaymentSession.Status.EXPIRED);
                }
            }
            case "payment_intent.payment_failed" -> {
                PaymentIntent intent = dataObject(event, PaymentIntent.class);
                bookingId = bookingIdOf(intent.getMetadata(), event);
                PaymentSession known = lockSession(bookingId, event);
                if (known.status() == PaymentSession.Status.OPEN) {
                    sessions.mark(bookingId, PaymentSession.Status.FAILED);
                    String reason = intent.getLastPaymentError() != null && intent.getLastPaymentError().getMessage() != null
                            ? intent.getLastPaymentError().getMessage() : "The payment was declined";
                    outbox.append(bookingId.toString(), new PaymentFailed(metadata.next(), bookingId, known.sessionId(),
                            PaymentFailureReason.DECLINED, reason));
                }
            }
            default -> {
                records.finish(event.getId(), "IGNORED", null);
                return new WebhookOutcome.Ignored(event.getId());
            }
        }
        records.finish(event.getId(), "PROCESSED", bookingId);
        return new WebhookOutcome.Processed(event.getId());
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
            throw new MalformedWebhookException("Event " + event.getId() + " has an unreadable data.object: " + e.getMessage(), e);
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
