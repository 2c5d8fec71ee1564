package dev.bookingplatform.booking.saga;

import org.jspecify.annotations.Nullable;

/** One step as decided: from where to where, and the reason the booking now shows (null: keep the old one). */
record SagaStep(BookingStatus from, BookingStatus next, @Nullable String reasonCode, @Nullable String reason) {
}
