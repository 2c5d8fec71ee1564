package dev.bookingplatform.eventing.support;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.booking.BookingRequested;

/** Events for relay and consumer tests: the sequence number rides in {@code quantity} to check order. */
public final class TestEvents {

    private TestEvents() {
    }

    public static BookingRequested bookingRequested(UUID bookingId, int sequence) {
        return bookingRequested(bookingId, sequence, "corr-" + bookingId, null);
    }

    public static BookingRequested bookingRequested(UUID bookingId, int sequence, String correlationId,
            UUID causationId) {
        return BookingRequested.newBuilder()
                .setMetadata(new EventMetadata(UUID.randomUUID(), Instant.now(), correlationId, causationId, "test"))
                .setBookingId(bookingId)
                .setCustomerEmail("guest@example.com")
                .setCustomerName("Guest")
                .setResourceId("room-1")
                .setSlotStart(Instant.parse("2027-01-01T10:00:00Z"))
                .setSlotEnd(Instant.parse("2027-01-01T11:00:00Z"))
                .setQuantity(sequence)
                .setAddOns(List.of())
                .setCustomerLocale(null)
                .build();
    }
}
