package dev.bookingplatform.inventory.reservation;

import java.time.Instant;
import java.util.UUID;

/** Capacity held for one booking. */
record Hold(UUID bookingId, String resourceId, Instant slotStart, int quantity, Status status) {

    enum Status {
        HELD, CONFIRMED, RELEASED
    }
}
