package dev.bookingplatform.eventing.erasure;

import java.sql.Array;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.booking.CustomerDataErased;

/**
 * Erases the copies of a customer's data the eventing library keeps for some bookings: their outbox rows (the
 * events' payloads carry the e-mail address and name; they were published from the WAL already, so deleting the
 * rows loses only the event history and a re-publish of them) and the bytes of their dead letters (which can then
 * no longer be replayed, only skipped). Then every {@link PersonalDataEraser} of the service.
 */
public final class PersonalDataErasure {

    private final JdbcTemplate jdbc;

    private final List<PersonalDataEraser> erasers;

    public PersonalDataErasure(DataSource dataSource, List<PersonalDataEraser> erasers) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.erasers = List.copyOf(erasers);
    }

    /** In the caller's transaction. */
    public void erase(List<UUID> bookingIds) {
        if (bookingIds.isEmpty()) {
            return;
        }
        String[] ids = bookingIds.stream().map(UUID::toString).toArray(String[]::new);
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            Array array = connection.createArrayOf("text", ids);
            try (var outbox = connection.prepareStatement("DELETE FROM outbox_event WHERE aggregate_id = ANY (?)");
                    var deadLetters = connection.prepareStatement("""
                            UPDATE dead_letter SET record_value = NULL, record_headers = '{}', exception_message = NULL,
                              last_replay_error = NULL WHERE booking_id = ANY (?) OR record_key = ANY (?)""");
                    // What ops did stays (who, when, what, the outcome); the free text may quote the customer.
                    var actions = connection.prepareStatement("""
                            UPDATE dead_letter_action SET reason = '(erased)', detail = NULL WHERE dead_letter_id IN
                              (SELECT id FROM dead_letter WHERE booking_id = ANY (?) OR record_key = ANY (?))""")) {
                outbox.setArray(1, array);
                outbox.executeUpdate();
                deadLetters.setArray(1, array);
                deadLetters.setArray(2, array);
                deadLetters.executeUpdate();
                actions.setArray(1, array);
                actions.setArray(2, array);
                actions.executeUpdate();
            }
            return null;
        });
        erasers.forEach(eraser -> eraser.erase(bookingIds));
    }

    /** The handler of {@link CustomerDataErased}, for services that learn of an erasure by the event. */
    public void onErased(CustomerDataErased event, EventMetadata metadata) {
        erase(event.getBookingIds());
    }
}
