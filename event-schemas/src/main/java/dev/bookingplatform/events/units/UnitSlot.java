package dev.bookingplatform.events.units;

import java.time.Instant;

/** One booking unit of a resource: the instant it begins (its identity) and the instant it ends. */
public record UnitSlot(Instant start, Instant end) {

    public UnitSlot {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("A unit must end after it starts: " + start + " to " + end);
        }
    }
}
