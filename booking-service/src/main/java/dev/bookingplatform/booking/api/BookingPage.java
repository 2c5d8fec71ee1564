package dev.bookingplatform.booking.api;

import java.util.List;

/** One page of a booking search. */
public record BookingPage(List<BookingView> items, int page, int size, long totalItems, long totalPages) {
}
