package dev.bookingplatform.notification.retention;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.bookingplatform.eventing.erasure.PersonalDataEraser;

/**
 * An erasure's part in notification-service: the recipient of every e-mail logged for these bookings. The masked
 * address stays unique per booking, so the log's key (event, recipient, template) still sends each e-mail once.
 */
@Component
class NotificationPersonalData implements PersonalDataEraser {

    private final JdbcClient jdbc;

    NotificationPersonalData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void erase(List<UUID> bookingIds) {
        jdbc.sql("UPDATE notification_log SET recipient = 'erased+' || booking_id || '@invalid' WHERE booking_id = ANY (?::uuid[])")
                .param(bookingIds.stream().map(UUID::toString).toArray(String[]::new)).update();
    }
}
