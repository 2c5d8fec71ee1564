package dev.bookingplatform.booking.saga;

import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bookingplatform.booking.persistence.BookingRepository;

/**
 * Makes every refused step visible: a warning naming the booking, its state and the trigger, a row in the
 * audit trail (from and to the same state, not accepted), and the counter
 * {@code booking.saga.transitions.refused}. A late or repeated event is thereby neither applied nor
 * silently dropped.
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

    void refuse(UUID bookingId, BookingStatus from, SagaTrigger trigger) {
        log.warn("Booking {} is {}: {} refused", bookingId, from, trigger);
        bookings.logTransition(bookingId, from, from, trigger.name(), false);
        Counter.builder("booking.saga.transitions.refused")
                .description("Saga triggers the state machine has no row for in the booking's state")
                .tag("from", from.name()).tag("trigger", trigger.name())
                .register(meters).increment();
    }
}
