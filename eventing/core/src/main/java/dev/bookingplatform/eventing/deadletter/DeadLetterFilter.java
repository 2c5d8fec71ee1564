package dev.bookingplatform.eventing.deadletter;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Which dead letters of a consumer group: every criterion left null matches all.
 *
 * @param from dead-lettered at or after
 * @param to dead-lettered before
 * @param openOnly only those still DEAD or PARKED
 */
public record DeadLetterFilter(String consumerGroup, @Nullable String topic, @Nullable String eventType,
        @Nullable String bookingId, @Nullable String exceptionClass, DeadLetter.@Nullable Status status,
        @Nullable Instant from, @Nullable Instant to, boolean openOnly) {

    public static DeadLetterFilter all(String consumerGroup) {
        return new DeadLetterFilter(consumerGroup, null, null, null, null, null, null, null, false);
    }
}
