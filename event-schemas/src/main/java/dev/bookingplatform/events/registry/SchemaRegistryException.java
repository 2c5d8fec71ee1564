package dev.bookingplatform.events.registry;

/**
 * A schema registry request failed. The message names the registry URL and the subject or schema id;
 * {@link #isTransient()} tells a retry apart from a fix.
 */
public final class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    SchemaRegistryException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    SchemaRegistryException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    /** True for timeouts, refused connections and 5xx answers: the same request may succeed later. */
    public boolean isTransient() {
        return transientFailure;
    }
}
