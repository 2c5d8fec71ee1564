package dev.bookingplatform.eventing.consumer;

import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.EventType;

/**
 * "On events of this type from this topic, run this handler, retrying like this." A service declares
 * one per event it consumes, e.g. {@code HandlerRegistration.on(InventoryReserved.class, saga::onReserved)}.
 *
 * @param retryPolicy this handler's own policy, or null for the consumer's configured default
 *        ({@code bookingplatform.eventing.consumer.retry.*})
 */
public record HandlerRegistration<E extends SpecificRecord>(String topic, Class<E> eventClass,
        EventHandler<E> handler, @Nullable RetryPolicy retryPolicy) {

    /** Handles {@code eventClass} from the topic its producer writes it to, with the consumer's default retry policy. */
    public static <E extends SpecificRecord> HandlerRegistration<E> on(Class<E> eventClass, EventHandler<E> handler) {
        return new HandlerRegistration<>(EventType.of(eventClass).topic(), eventClass, handler, null);
    }

    /** This handler's policy, or {@code fallback} if it has none of its own. */
    public RetryPolicy retryPolicyOr(RetryPolicy fallback) {
        return retryPolicy != null ? retryPolicy : fallback;
    }

    public HandlerRegistration<E> withRetry(RetryPolicy policy) {
        return new HandlerRegistration<>(topic, eventClass, handler, policy);
    }

    void invoke(SpecificRecord event, EventMetadata metadata) {
        handler.handle(eventClass.cast(event), metadata);
    }
}
