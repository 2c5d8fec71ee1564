package dev.bookingplatform.eventing.autoconfigure;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import dev.bookingplatform.eventing.relay.RelayStatus;

/**
 * Gauges an alert can watch: partitions stuck on one record longer than the configured time, and whether the relay
 * is healthy (1) or not (0), with its failures in a row.
 */
final class EventingMetrics implements SmartInitializingSingleton {

    private final ObjectProvider<MeterRegistry> registry;

    private final ObjectProvider<EventConsumerLifecycle> consumer;

    private final ObjectProvider<OutboxRelayLifecycle> relay;

    private final EventingProperties properties;

    EventingMetrics(ObjectProvider<MeterRegistry> registry, ObjectProvider<EventConsumerLifecycle> consumer,
            ObjectProvider<OutboxRelayLifecycle> relay, EventingProperties properties) {
        this.registry = registry;
        this.consumer = consumer;
        this.relay = relay;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters == null) {
            return;
        }
        EventConsumerLifecycle events = consumer.getIfAvailable();
        if (events != null) {
            Gauge.builder("eventing.consumer.stuck.partitions",
                    () -> events.consumer().stuckPartitions().longerThan(properties.consumer().stuckAfter()).size())
                    .description("Partitions retrying one record longer than bookingplatform.eventing.consumer.stuck-after")
                    .register(meters);
        }
        OutboxRelayLifecycle outbox = relay.getIfAvailable();
        if (outbox != null) {
            Gauge.builder("eventing.relay.healthy", () -> outbox.status().isHealthy(properties.relay().stallTimeout()) ? 1 : 0)
                    .description("1 while the relay streams without a stall or stands by, 0 otherwise").register(meters);
            Gauge.builder("eventing.relay.failures.in.a.row", () -> outbox.status().failuresInARow())
                    .description("Failed relay attempts since it last worked").register(meters);
            Gauge.builder("eventing.relay.term", () -> outbox.status().term()).register(meters);
            Gauge.builder("eventing.relay.batch.waiting.seconds", () -> waitingSeconds(outbox.status()))
                    .description("How long the batch being published has waited for Kafka").register(meters);
        }
    }

    private static double waitingSeconds(RelayStatus status) {
        return status.batchWaitingSince() == null ? 0
                : (System.currentTimeMillis() - status.batchWaitingSince().toEpochMilli()) / 1000.0;
    }
}
