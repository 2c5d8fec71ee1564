package dev.bookingplatform.events.units;

/** Why a requested range does not fit a resource's units: the request field at fault and what is allowed. */
public record RangeViolation(String field, String message) {
}
