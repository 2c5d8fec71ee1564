package dev.bookingplatform.eventing.outbox;

/**
 * An event larger than its topic accepts. Refused when it is written, in the caller's transaction, because
 * once in the outbox no relay could publish it: it would stop the relay, or be skipped ahead of later events
 * of its key.
 */
public final class EventTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    EventTooLargeException(String typeName, Object eventId, int bytes, int limit) {
        super(String.format(java.util.Locale.ROOT, "%s %s is %,d bytes serialized; the topic accepts events of at most %,d"
                + " (bookingplatform.eventing.outbox.max-event-bytes): nothing was written", typeName, eventId, bytes, limit));
    }
}
