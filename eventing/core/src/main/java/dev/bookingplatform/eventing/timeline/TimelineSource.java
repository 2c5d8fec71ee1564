package dev.bookingplatform.eventing.timeline;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A service's own steps of an aggregate (a bean of this type is asked by {@code GET /ops/timeline/{id}}). */
@FunctionalInterface
public interface TimelineSource {

    List<TimelineEntry> entriesOf(String aggregateId);

    /** The booking an aggregate id names, if it is one (a resource id is not): tables keyed by booking id have no other. */
    static Optional<UUID> bookingIdOf(String aggregateId) {
        try {
            return Optional.of(UUID.fromString(aggregateId));
        }
        catch (IllegalArgumentException notABooking) {
            return Optional.empty();
        }
    }
}
