package dev.bookingplatform.booking.saga;

/** Triggers that are no event of another service: what a customer, ops or a deadline brings to the saga. */
public final class SagaCauses {

    private SagaCauses() {
    }

    /** The customer cancels; {@code refundMinor} is what the cancellation policy gives back (0 before payment). */
    public record CustomerCancellation(long refundMinor, String reason) {
    }

    /** A step overran its deadline. */
    public record Deadline(String reason) {
    }

    /** Ops act on a booking (retry a refused refund). */
    public record OpsRequest(String actor, String reason) {
    }

    /** Ops force the booking's compensation: everything paid goes back. */
    public record Compensation(String actor, String reason) {
    }
}
