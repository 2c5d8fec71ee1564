package dev.bookingplatform.inventory.reservation;

import java.time.Instant;
import java.util.UUID;

/** Capacity held for one booking: the range asked for, the quantity of each unit it covers. */
record Hold(UUID bookingId, String resourceId, Instant slotStart, Instant slotEnd, int quantity, Status status) {

    enum Status {
        HELD, CONFIRMED, RELEASED
    }
}
