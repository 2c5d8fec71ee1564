package dev.bookingplatform.inventory.reservation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.BookingPaid;
import dev.bookingplatform.events.booking.BookingRejected;
import dev.bookingplatform.events.booking.BookingRequested;

/** What inventory-service consumes from the saga, each through the library's idempotent, retrying path. */
@Configuration(proxyBeanMethods = false)
class BookingEventHandlers {

    @Bean
    HandlerRegistration<BookingRequested> reserveOnBookingRequested(ReservationService reservations) {
        return HandlerRegistration.on(BookingRequested.class, (event, metadata) -> reservations.reserve(event));
    }

    @Bean
    HandlerRegistration<BookingPaid> confirmOrLoseOnBookingPaid(ReservationService reservations) {
        return HandlerRegistration.on(BookingPaid.class, (event, metadata) -> reservations.confirmPaid(event));
    }

    @Bean
    HandlerRegistration<BookingCancelled> releaseOnBookingCancelled(ReservationService reservations) {
        return HandlerRegistration.on(BookingCancelled.class,
                (event, metadata) -> reservations.release(event.getBookingId(), "booking cancelled: " + event.getReasonCode()));
    }

    @Bean
    HandlerRegistration<BookingRejected> releaseOnBookingRejected(ReservationService reservations) {
        return HandlerRegistration.on(BookingRejected.class,
                (event, metadata) -> reservations.release(event.getBookingId(), "booking rejected"));
    }
}
