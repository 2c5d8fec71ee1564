package dev.bookingplatform.eventing.autoconfigure;

import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.bookingplatform.eventing.relay.RelayStatus;

/**
 * The relay in {@code /actuator/health}: UP only when it streams without a stall or stands by; DOWN while it
 * starts (a crash loop lives there), after a failure (naming what failed) and when Kafka has held a batch longer
 * than the stall timeout. Never blocks.
 */
final class RelayHealthIndicator implements HealthIndicator {

    private final OutboxRelayLifecycle relay;

    private final Duration stallTimeout;

    RelayHealthIndicator(OutboxRelayLifecycle relay, Duration stallTimeout) {
        this.relay = relay;
        this.stallTimeout = stallTimeout;
    }

    @Override
    public Health health() {
        RelayStatus status = relay.status();
        Health.Builder health = status.isHealthy(stallTimeout) ? Health.up() : Health.down();
        health.withDetail("state", status.state().name())
                .withDetail("since", status.since().toString())
                .withDetail("slot", relay.settings().slotName())
                .withDetail("term", status.term())
                .withDetail("failuresInARow", status.failuresInARow());
        if (status.batchWaitingSince() != null && status.isStalled(stallTimeout, Instant.now())) {
            health.withDetail("stalled", "a batch has waited for Kafka since " + status.batchWaitingSince());
        }
        if (status.error() != null) {
            health.withDetail("error", status.error());
        }
        return health.build();
    }
}
