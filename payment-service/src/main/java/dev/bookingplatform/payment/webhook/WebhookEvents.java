package dev.bookingplatform.payment.webhook;

import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The record of every Stripe event received, one row per Stripe event id. */
@Repository
class WebhookEvents {

    /** Outcomes after which a delivery of the same event is a DUPLICATE. */
    static final java.util.Set<String> SETTLED = java.util.Set.of("PROCESSED", "IGNORED", "DUPLICATE");

    private final JdbcClient jdbc;

    WebhookEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a delivery of the event and locks its row for this transaction. Concurrent deliveries of one
     * event queue on the primary key: the first inserts, the others wait for it to commit and then see
     * its outcome.
     *
     * @return the status a previous delivery left, or empty if this is the first
     */
    Optional<String> claim(String eventId, String type) {
        int inserted = jdbc.sql("""
                INSERT INTO stripe_webhook_event (stripe_event_id, type, status, attempts, deliveries)
                VALUES (?, ?, 'PENDING', 1, 1) ON CONFLICT (stripe_event_id) DO NOTHING""")
                .params(eventId, type).update();
        if (inserted == 1) {
            return Optional.empty();
        }
        return jdbc.sql("""
                UPDATE stripe_webhook_event SET deliveries = deliveries + 1 WHERE stripe_event_id = ?
                RETURNING status""").param(eventId).query(String.class).optional();
    }

    Optional<String> status(String eventId) {
        return jdbc.sql("SELECT status FROM stripe_webhook_event WHERE stripe_event_id = ?").param(eventId).query(String.class).optional();
    }

    void startAttempt(String eventId) {
        jdbc.sql("UPDATE stripe_webhook_event SET attempts = attempts + 1, status = 'PENDING' WHERE stripe_event_id = ?")
                .param(eventId).update();
    }

    void finish(String eventId, String status, @Nullable UUID bookingId) {
        jdbc.sql("""
                UPDATE stripe_webhook_event SET status = ?, booking_id = ?, last_error = NULL, processed_at = now()
                WHERE stripe_event_id = ?""").params(status, bookingId, eventId).update();
    }

    /** Records a failed attempt in its own transaction (the attempt's own was rolled back). */
    void recordFailure(String eventId, String type, String error) {
        jdbc.sql("""
                INSERT INTO stripe_webhook_event (stripe_event_id, type, status, attempts, deliveries, last_error)
                VALUES (?, ?, 'FAILED', 1, 1, ?)
                ON CONFLICT (stripe_event_id) DO UPDATE SET status = 'FAILED', last_error = excluded.last_error,
                    attempts = stripe_webhook_event.attempts + 1, deliveries = stripe_webhook_event.deliveries + 1""")
                .params(eventId, type, dev.bookingplatform.payment.support.ErrorText.kept(error)).update();
    }
}
