package dev.bookingplatform.stripesim;

/** A refund the simulator made. */
public record Refund(String id, String paymentIntent, long amount, String currency) {
}
