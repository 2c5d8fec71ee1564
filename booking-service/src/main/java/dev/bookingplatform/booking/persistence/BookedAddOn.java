package dev.bookingplatform.booking.persistence;

/** An add-on the customer asked for, and how many. */
public record BookedAddOn(String addOnId, int quantity) {
}
