/** Booking service: booking API for the gateway and the booking saga (orchestrator). */
@NullMarked
package dev.bookingplatform.booking;

import org.jspecify.annotations.NullMarked;
