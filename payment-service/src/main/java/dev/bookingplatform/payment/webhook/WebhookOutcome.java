package dev.bookingplatform.payment.webhook;

/** What became of one webhook delivery; answered to Stripe and counted in {@code payment.webhooks}. */
public sealed interface WebhookOutcome {

    String eventId();

    default String name() {
        return getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    /** First delivery of a handled type: the booking's state and its event were written. */
    record Processed(String eventId) implements WebhookOutcome {
    }

    /** A type the saga does not use: acknowledged so Stripe stops sending it, recorded, nothing else. */
    record Ignored(String eventId) implements WebhookOutcome {
    }

    /** Already processed: acknowledged, counted, nothing changed. */
    record Duplicate(String eventId) implements WebhookOutcome {
    }
}
