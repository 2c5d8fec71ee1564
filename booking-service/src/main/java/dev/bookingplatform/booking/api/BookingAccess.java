package dev.bookingplatform.booking.api;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.web.ApiProblemException;
import dev.bookingplatform.web.security.Caller;
import dev.bookingplatform.web.security.Scopes;

/** Who may see and act on a booking: its owner, or an admin token (whose acts on others' bookings are audited). */
@Component
class BookingAccess {

    private final BookingRepository bookings;

    BookingAccess(BookingRepository bookings) {
        this.bookings = bookings;
    }

    /**
     * @return whether the caller reaches the booking as an admin, not as its owner
     * @throws ApiProblemException 404 when the booking is not the caller's: the same answer as for an id that
     *         does not exist, so ids cannot be probed
     */
    boolean check(Caller caller, UUID bookingId) {
        if (bookings.isOwnedBy(bookingId, caller.subject())) {
            return false;
        }
        if (caller.has(Scopes.BOOKINGS_ADMIN)) {
            return true;
        }
        throw ApiProblemException.notFound("Booking", bookingId);
    }
}
