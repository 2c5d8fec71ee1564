package dev.bookingplatform.payment.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.bookingplatform.eventing.timeline.TimelineEntry;
import dev.bookingplatform.eventing.timeline.TimelineSource;

/** payment-service's own steps of a booking for the ops timeline: each Stripe call (intent) and each webhook received. */
@Component
class PaymentTimeline implements TimelineSource {

    private final JdbcClient jdbc;

    PaymentTimeline(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<TimelineEntry> entriesOf(String aggregateId) {
        Optional<UUID> booking = TimelineSource.bookingIdOf(aggregateId);
        if (booking.isEmpty()) {
            return List.of();
        }
        UUID bookingId = booking.get();
        List<TimelineEntry> entries = new ArrayList<>(stripeCalls(bookingId));
        entries.addAll(webhooks(bookingId));
        return entries;
    }

    private List<TimelineEntry> stripeCalls(UUID bookingId) {
        return jdbc.sql("""
                SELECT id, kind, status, attempts, outcome, last_error, causation_id, created_at, finished_at
                FROM stripe_intent WHERE booking_id = ? ORDER BY seq""").param(bookingId).query((row, n) -> {
            Map<String, @Nullable Object> detail = new LinkedHashMap<>();
            detail.put("intent", row.getObject("id", UUID.class));
            detail.put("call", row.getString("kind"));
            detail.put("status", row.getString("status"));
            detail.put("attempts", row.getInt("attempts"));
            detail.put("outcome", row.getString("outcome"));
            detail.put("lastError", row.getString("last_error"));
            detail.put("filedAt", instant(row, "created_at"));
            Instant finished = row.getTimestamp("finished_at") == null ? null : instant(row, "finished_at");
            detail.put("finishedAt", finished);
            String result = finished == null ? "pending after " + row.getInt("attempts") + " attempt(s)"
                    : row.getString("status") + " after " + row.getInt("attempts") + " attempt(s): " + row.getString("outcome");
            // At its filing, in the handling of the event that asked for it: its outcome is recorded later, with the
            // events it causes, which must come after it.
            return new TimelineEntry(instant(row, "created_at"), "STRIPE_CALL", null, null,
                    row.getObject("causation_id", UUID.class), "Stripe " + row.getString("kind") + " " + result, detail);
        }).list();
    }

    private List<TimelineEntry> webhooks(UUID bookingId) {
        return jdbc.sql("""
                SELECT stripe_event_id, type, status, attempts, deliveries, last_error, received_at, processed_at
                FROM stripe_webhook_event WHERE booking_id = ? ORDER BY received_at""").param(bookingId).query((row, n) -> {
            Map<String, @Nullable Object> detail = new LinkedHashMap<>();
            detail.put("stripeEvent", row.getString("stripe_event_id"));
            detail.put("type", row.getString("type"));
            detail.put("status", row.getString("status"));
            detail.put("deliveries", row.getInt("deliveries"));
            detail.put("lastError", row.getString("last_error"));
            detail.put("processedAt", row.getTimestamp("processed_at") == null ? null : instant(row, "processed_at"));
            return new TimelineEntry(instant(row, "received_at"), "WEBHOOK", null, null, null, "Stripe sent "
                    + row.getString("type") + " (" + row.getString("stripe_event_id") + "), " + row.getString("status")
                    + (row.getInt("deliveries") > 1 ? ", delivered " + row.getInt("deliveries") + " times" : ""), detail);
        }).list();
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? Instant.EPOCH : timestamp.toInstant();
    }
}
