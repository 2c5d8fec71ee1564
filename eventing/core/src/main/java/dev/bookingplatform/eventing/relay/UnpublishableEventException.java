package dev.bookingplatform.eventing.relay;

/** Kafka refused an outbox row for good (too large, invalid): the relay stops on it, loudly, naming the row. */
public final class UnpublishableEventException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    UnpublishableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
