package dev.bookingplatform.eventing.relay;

/** The leader could not publish for the step-down wait and let go of the relay, so a standby may take over. */
public final class RelayStalledException extends RuntimeException {

    public RelayStalledException(String message) {
        super(message);
    }
}
