package dev.bookingplatform.notification.mail;

import java.sql.Timestamp;
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

/**
 * notification-service's own steps of a booking for the ops timeline: each mail, with its Message-ID and the event
 * that caused it. The recipient is shown masked: ops needs to know a mail went, not to whom.
 */
@Component
class MailTimeline implements TimelineSource {

    private final JdbcClient jdbc;

    MailTimeline(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<TimelineEntry> entriesOf(String aggregateId) {
        Optional<UUID> booking = TimelineSource.bookingIdOf(aggregateId);
        if (booking.isEmpty()) {
            return List.of();
        }
        UUID bookingId = booking.get();
        return jdbc.sql("""
                SELECT event_id, recipient, template, message_id, status, attempts, created_at, sent_at
                FROM notification_log WHERE booking_id = ? ORDER BY created_at""").param(bookingId).query((row, n) -> {
            Map<String, @Nullable Object> detail = new LinkedHashMap<>();
            detail.put("template", row.getString("template"));
            detail.put("recipient", masked(row.getString("recipient")));
            detail.put("messageId", row.getString("message_id"));
            detail.put("status", row.getString("status"));
            detail.put("attempts", row.getInt("attempts"));
            Timestamp sent = row.getTimestamp("sent_at");
            boolean wasSent = "SENT".equals(row.getString("status"));
            return new TimelineEntry((sent != null ? sent : row.getTimestamp("created_at")).toInstant(), wasSent ? "MAIL_SENT" : "MAIL_SENDING",
                    row.getObject("event_id", UUID.class), null, null, (wasSent ? "sent " : "sending ") + row.getString("template")
                            + " mail to " + masked(row.getString("recipient")) + " (" + row.getString("message_id") + ")", detail);
        }).list();
    }

    /** {@code a***@example.com}: enough to tell two recipients apart, not enough to mail one. */
    static String masked(@Nullable String address) {
        if (address == null || address.isBlank()) {
            return "";
        }
        int at = address.indexOf('@');
        return at <= 0 ? "***" : address.charAt(0) + "***" + address.substring(at);
    }
}
