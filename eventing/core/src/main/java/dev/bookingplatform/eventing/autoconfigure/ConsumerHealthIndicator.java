package dev.bookingplatform.eventing.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.bookingplatform.eventing.consumer.StuckPartitions;

/**
 * The consumer in {@code /actuator/health}: DOWN while a partition has retried one record longer than
 * {@code bookingplatform.eventing.consumer.stuck-after}, naming the record, so a failure taken for an outage
 * cannot block a partition unseen.
 */
final class ConsumerHealthIndicator implements HealthIndicator {

    private final EventConsumerLifecycle consumer;

    private final Duration stuckAfter;

    ConsumerHealthIndicator(EventConsumerLifecycle consumer, Duration stuckAfter) {
        this.consumer = consumer;
        this.stuckAfter = stuckAfter;
    }

    @Override
    public Health health() {
        List<StuckPartitions.Stuck> stuck = consumer.consumer().stuckPartitions().longerThan(stuckAfter);
        Health.Builder health = stuck.isEmpty() ? Health.up() : Health.down();
        health.withDetail("running", consumer.isRunning()).withDetail("stuckAfter", stuckAfter.toString());
        if (!stuck.isEmpty()) {
            health.withDetail("stuckPartitions", stuck);
        }
        return health.build();
    }
}
