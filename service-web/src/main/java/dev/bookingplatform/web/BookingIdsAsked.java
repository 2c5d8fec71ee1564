package dev.bookingplatform.web;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;

/**
 * The body of an ops tool's question about many bookings at once (the consistency monitor's
 * {@code POST /ops/consistency/...}): {@code {"bookingIds": [...]}}.
 *
 * @param bookingIds the bookings asked about
 */
public record BookingIdsAsked(List<UUID> bookingIds) {

    /** The ids, or a 400 problem detail when they are missing or more than {@code max}: one query answers them all. */
    public List<UUID> validated(int max) {
        if (bookingIds == null || bookingIds.size() > max) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "Booking ids", "Give bookingIds, at most " + max);
        }
        return bookingIds;
    }
}
