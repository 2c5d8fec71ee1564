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
 * @param notSkippable why a dead letter of this handler may only be replayed, never skipped (an event that carries
 *        money: skipping it would end the saga without it), or null if ops may skip one
 */
public record HandlerRegistration<E extends SpecificRecord>(String topic, Class<E> eventClass,
        EventHandler<E> handler, @Nullable RetryPolicy retryPolicy, @Nullable String notSkippable) {

    public HandlerRegistration(String topic, Class<E> eventClass, EventHandler<E> handler, @Nullable RetryPolicy retryPolicy) {
        this(topic, eventClass, handler, retryPolicy, null);
    }

    /** Handles {@code eventClass} from the topic its producer writes it to, with the consumer's default retry policy. */
    public static <E extends SpecificRecord> HandlerRegistration<E> on(Class<E> eventClass, EventHandler<E> handler) {
        return new HandlerRegistration<>(EventType.of(eventClass).topic(), eventClass, handler, null);
    }

    /** This handler's policy, or {@code fallback} if it has none of its own. */
    public RetryPolicy retryPolicyOr(RetryPolicy fallback) {
        return retryPolicy != null ? retryPolicy : fallback;
    }

    public HandlerRegistration<E> withRetry(RetryPolicy policy) {
        return new HandlerRegistration<>(topic, eventClass, handler, policy, notSkippable);
    }

    /** A dead letter of this handler may be replayed, never skipped; {@code why} is what ops are told. */
    public HandlerRegistration<E> neverSkipped(String why) {
        return new HandlerRegistration<>(topic, eventClass, handler, retryPolicy, why);
    }

    void invoke(SpecificRecord event, EventMetadata metadata) {
        handler.handle(eventClass.cast(event), metadata);
    }
}
