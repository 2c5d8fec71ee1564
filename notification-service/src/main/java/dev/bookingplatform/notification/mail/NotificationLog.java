package dev.bookingplatform.notification.mail;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which e-mails went out. Each call commits on its own, outside the consumed event's transaction. */
@Repository
class NotificationLog {

    private final JdbcClient jdbc;

    NotificationLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Registers the e-mail as being sent, or finds it registered.
     *
     * @return the e-mail's entry: its Message-ID and whether it was already sent
     */
    Entry claim(Email email, String messageId) {
        jdbc.sql("""
                INSERT INTO notification_log (event_id, recipient, template, message_id, status, booking_id)
                VALUES (?, ?, ?, ?, 'SENDING', ?)
                ON CONFLICT (event_id, recipient, template) DO UPDATE SET attempts = notification_log.attempts + 1""")
                .params(email.eventId(), email.recipient(), email.template(), messageId, email.bookingId()).update();
        return find(email).orElseThrow();
    }

    void markSent(Email email) {
        jdbc.sql("UPDATE notification_log SET status = 'SENT', sent_at = now() WHERE event_id = ? AND recipient = ? AND template = ?")
                .params(email.eventId(), email.recipient(), email.template()).update();
    }

    private Optional<Entry> find(Email email) {
        return jdbc.sql("SELECT message_id, status FROM notification_log WHERE event_id = ? AND recipient = ? AND template = ?")
                .params(email.eventId(), email.recipient(), email.template())
                .query((rs, row) -> new Entry(rs.getString("message_id"), "SENT".equals(rs.getString("status"))))
                .optional();
    }

    record Entry(String messageId, boolean sent) {
    }
}
