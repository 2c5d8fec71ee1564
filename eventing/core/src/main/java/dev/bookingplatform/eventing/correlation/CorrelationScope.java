package dev.bookingplatform.eventing.correlation;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The correlation id and the causing event of the work on this thread, in the logging MDC so every log
 * line carries them, and read by {@link EventMetadataFactory} for every event appended meanwhile.
 * Closing it restores what was there before.
 */
public final class CorrelationScope implements AutoCloseable {

    public static final String CORRELATION_ID = "correlationId";

    public static final String CAUSATION_ID = "causationId";

    /** The event being handled, in logs only: what this thread's log lines are about. */
    public static final String EVENT_ID = "eventId";

    private final @Nullable String previousCorrelation;

    private final @Nullable String previousCausation;

    private final @Nullable String previousEvent;

    private CorrelationScope(String correlationId, @Nullable UUID causationId) {
        this.previousCorrelation = MDC.get(CORRELATION_ID);
        this.previousCausation = MDC.get(CAUSATION_ID);
        this.previousEvent = MDC.get(EVENT_ID);
        MDC.put(CORRELATION_ID, correlationId);
        if (causationId != null) {
            // The event handled is the cause of every event appended while handling it.
            MDC.put(CAUSATION_ID, causationId.toString());
            MDC.put(EVENT_ID, causationId.toString());
        }
        else {
            MDC.remove(CAUSATION_ID);
            MDC.remove(EVENT_ID);
        }
    }

    /** For handling an event: its correlation id carries on, and it is the cause of what follows. */
    public static CorrelationScope handling(String correlationId, UUID eventId) {
        return new CorrelationScope(correlationId, eventId);
    }

    /**
     * For the error handler's work on a failed record (retries, the dead letter), after the handler's own scope closed:
     * what the record's headers say, where the value itself may not even decode.
     */
    public static CorrelationScope failing(String correlationId, @Nullable UUID eventId) {
        return new CorrelationScope(correlationId, eventId);
    }

    /** For an API request: the gateway's {@code X-Correlation-Id}, or a new one; nothing caused it. */
    public static CorrelationScope request(@Nullable String correlationId) {
        return new CorrelationScope(correlationId == null || correlationId.isBlank()
                ? UUID.randomUUID().toString() : correlationId, null);
    }

    public static @Nullable String currentCorrelationId() {
        return MDC.get(CORRELATION_ID);
    }

    public static @Nullable UUID currentCausationId() {
        String causation = MDC.get(CAUSATION_ID);
        return causation == null ? null : UUID.fromString(causation);
    }

    @Override
    public void close() {
        restore(CORRELATION_ID, previousCorrelation);
        restore(CAUSATION_ID, previousCausation);
        restore(EVENT_ID, previousEvent);
    }

    private static void restore(String key, @Nullable String value) {
        if (value == null) {
            MDC.remove(key);
        }
        else {
            MDC.put(key, value);
        }
    }
}
