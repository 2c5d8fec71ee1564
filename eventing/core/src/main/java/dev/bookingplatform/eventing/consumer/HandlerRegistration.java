package dev.bookingplatform.eventing.consumer;

import org.apache.avro.specific.SpecificRecord;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.EventType;

/**
 * "On events of this type from this topic, run this handler, retrying like this." A service declares
 * one per event it consumes, e.g. {@code HandlerRegistration.on(InventoryReserved.class, saga::onReserved)}.
 */
public record HandlerRegistration<E extends SpecificRecord>(String topic, Class<E> eventClass,
        EventHandler<E> handler, RetryPolicy retryPolicy) {

    /** Handles {@code eventClass} from the topic its producer writes it to, with the default retry policy. */
    public static <E extends SpecificRecord> HandlerRegistration<E> on(Class<E> eventClass, EventHandler<E> handler) {
        return new HandlerRegistration<>(EventType.of(eventClass).topic(), eventClass, handler, RetryPolicy.defaults());
    }

    public HandlerRegistration<E> withRetry(RetryPolicy policy) {
        return new HandlerRegistration<>(topic, eventClass, handler, policy);
    }

    void invoke(SpecificRecord event, EventMetadata metadata) {
        handler.handle(eventClass.cast(event), metadata);
    }
}
