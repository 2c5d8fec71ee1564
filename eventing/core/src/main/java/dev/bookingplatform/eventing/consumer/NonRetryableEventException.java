package dev.bookingplatform.eventing.consumer;

/**
 * A failure retrying cannot fix (the event fails validation, or is illegal in the aggregate's current
 * state): the record goes to the dead-letter topic at the first failure. Name the event and the
 * aggregate in the message; never personal data.
 */
public class NonRetryableEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NonRetryableEventException(String message) {
        super(message);
    }

    public NonRetryableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
