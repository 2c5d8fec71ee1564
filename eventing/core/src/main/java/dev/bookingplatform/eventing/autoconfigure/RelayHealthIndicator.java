package dev.bookingplatform.eventing.autoconfigure;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.bookingplatform.eventing.relay.RelayStatus;

/** The relay in {@code /actuator/health}: down when it failed, with the error naming what failed. */
final class RelayHealthIndicator implements HealthIndicator {

    private final OutboxRelayLifecycle relay;

    RelayHealthIndicator(OutboxRelayLifecycle relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        RelayStatus status = relay.status();
        Health.Builder health = status.isHealthy() ? Health.up() : Health.down();
        health.withDetail("state", status.state().name())
                .withDetail("since", status.since().toString())
                .withDetail("slot", relay.settings().slotName());
        if (status.error() != null) {
            health.withDetail("error", status.error());
        }
        return health.build();
    }
}
