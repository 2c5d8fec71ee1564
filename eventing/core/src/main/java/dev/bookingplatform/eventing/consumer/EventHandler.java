package dev.bookingplatform.eventing.consumer;

import org.apache.avro.specific.SpecificRecord;

import dev.bookingplatform.events.EventMetadata;

/**
 * What a service does with one event. It runs inside the library's database transaction, after the
 * inbox recorded the event, so everything it writes (state and outbox events) commits or rolls back
 * together. Throw {@link NonRetryableEventException} for failures no retry can fix.
 */
@FunctionalInterface
public interface EventHandler<E extends SpecificRecord> {

    void handle(E event, EventMetadata metadata);
}
