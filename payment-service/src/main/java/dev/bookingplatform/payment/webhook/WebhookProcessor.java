package dev.bookingplatform.payment.webhook;

import java.time.Clock;
import java.util.Objects;

import com.stripe.model.Event;
import com.stripe.model.checkout.Session;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a verified Stripe event, from a webhook or from reconciliation, into the saga's event exactly
 * once: the event record, the session's new state and the outbox event commit together. A redelivered
 * event (same id) is {@code DUPLICATE}; an event whose news the session already reflects (a webhook that
 * arrives after reconciliation applied the same change) changes nothing and is {@code DUPLICATE} too.
 */
@Component
public class WebhookProcessor {

    /** The event types the saga uses (StripeEventApplier's cases); anything else is acknowledged and ignored. */
    public static final java.util.Set<String> HANDLED_TYPES = java.util.Set.of("checkout.session.completed",
            "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed", "checkout.session.expired",
            "payment_intent.payment_failed", "refund.updated", "refund.failed", "charge.refund.updated", "charge.refunded",
            "charge.dispute.created");

    private final WebhookEvents records;

    private final StripeEventApplier applier;

    private final TransactionTemplate transactions;

    private final Clock clock;

    WebhookProcessor(WebhookEvents records, StripeEventApplier applier, TransactionTemplate transactions, Clock clock) {
        this.records = records;
        this.applier = applier;
        this.transactions = transactions;
        this.clock = clock;
    }

    public WebhookOutcome process(Event event) {
        return process(event, () -> applier.apply(event, clock.instant()));
    }

    /**
     * Applies what reconciliation read from a session lookup, recorded under an id of its own
     * ({@code reconcile_<session>_<status>_<payment_status>}) so the same truth is applied once.
     */
    public WebhookOutcome processSessionTruth(Session session) {
        Event synthetic = new Event();
        synthetic.setId("reconcile_" + session.getId() + "_" + session.getStatus() + "_" + session.getPaymentStatus());
        synthetic.setType("reconciliation.checkout.session." + session.getStatus());
        return process(synthetic, () -> applier.sessionTruth(session, synthetic));
    }

    /** Applies what reconciliation read from a refund lookup, once per refund and status. */
    public WebhookOutcome processRefundTruth(com.stripe.model.Refund refund) {
        Event synthetic = new Event();
        synthetic.setId("reconcile_" + refund.getId() + "_" + refund.getStatus());
        synthetic.setType("reconciliation.refund." + refund.getStatus());
        return process(synthetic, () -> applier.refundTruth(refund, synthetic));
    }

    private WebhookOutcome process(Event event, java.util.function.Supplier<StripeEventApplier.Applied> apply) {
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                var previous = records.claim(event.getId(), event.getType());
                if (previous.isPresent()) {
                    if (WebhookEvents.SETTLED.contains(previous.get())) {
                        return new WebhookOutcome.Duplicate(event.getId());
                    }
                    records.startAttempt(event.getId());
                }
                StripeEventApplier.Applied applied = apply.get();
                records.finish(event.getId(), applied.status(), applied.bookingId());
                return switch (applied.status()) {
                    case "PROCESSED" -> new WebhookOutcome.Processed(event.getId());
                    case "IGNORED" -> new WebhookOutcome.Ignored(event.getId());
                    default -> new WebhookOutcome.Duplicate(event.getId());
                };
            }));
        }
        catch (RuntimeException failure) {
            records.recordFailure(event.getId(), event.getType(), failure.getClass().getSimpleName() + ": " + failure.getMessage());
            throw failure;
        }
    }

    /** Whether this event was already settled here (PROCESSED, IGNORED or DUPLICATE): reconciliation skips it. */
    public boolean known(String eventId) {
        return records.status(eventId).filter(WebhookEvents.SETTLED::contains).isPresent();
    }
}
