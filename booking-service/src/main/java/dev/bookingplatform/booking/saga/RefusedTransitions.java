package dev.bookingplatform.booking.saga;

import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bookingplatform.booking.persistence.BookingRepository;

/**
 * Makes every refused transition visible: a warning naming the booking, both states and the trigger, a
 * row in the audit trail, and the counter {@code booking.saga.transitions.refused}. A late or repeated
 * event is thereby neither applied nor silently dropped.
 */
@Component
class RefusedTransitions {

    private static final Logger log = LoggerFactory.getLogger(RefusedTransitions.class);

    private final BookingRepository bookings;

    private final MeterRegistry meters;

    RefusedTransitions(BookingRepository bookings, MeterRegistry meters) {
        this.bookings = bookings;
        this.meters = meters;
    }

    void refuse(UUID bookingId, BookingStatus from, BookingStatus to, String trigger) {
        log.warn("Booking {} is {}: refused move to {} on {}", bookingId, from, to, trigger);
        bookings.logTransition(bookingId, from, to, trigger, false);
        Counter.builder("booking.saga.transitions.refused")
                .description("Saga events that would have moved a booking backwards or out of a final state")
                .tag("from", from.name()).tag("to", to.name()).tag("trigger", trigger)
                .register(meters).increment();
    }
}
