package dev.bookingplatform.eventing.consumer;

import java.time.Duration;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How often and how patiently a handler's transient failures are retried in place, before the record
 * goes to the dead-letter topic.
 *
 * @param maxAttempts deliveries in all, the first included
 * @param initialDelay wait before the second delivery
 * @param multiplier growth of the wait from one retry to the next
 * @param maxDelay cap on one wait
 * @param jitter random spread added to each wait, so replicas do not retry in lockstep
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, Duration jitter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1, not " + multiplier);
        }
    }

    /** Five deliveries over about seven seconds: rides out a database failover or a lock timeout. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(500), 2.0, Duration.ofSeconds(10), Duration.ofMillis(100));
    }

    /** The equivalent spring-kafka back-off: {@code maxAttempts - 1} retries. */
    public BackOff toBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(initialDelay.toMillis(), multiplier);
        backOff.setMaxInterval(maxDelay.toMillis());
        backOff.setJitter(jitter.toMillis());
        backOff.setMaxAttempts(maxAttempts - 1L);
        return backOff;
    }
}
