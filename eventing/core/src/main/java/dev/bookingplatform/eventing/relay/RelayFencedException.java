package dev.bookingplatform.eventing.relay;

/** This relay lost leadership to a newer term: it must stop, and nothing it still does may take effect. */
public final class RelayFencedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    RelayFencedException(String message) {
        super(message);
    }

    RelayFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
