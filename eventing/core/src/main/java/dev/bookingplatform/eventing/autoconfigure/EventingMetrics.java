package dev.bookingplatform.eventing.autoconfigure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import dev.bookingplatform.eventing.metrics.BackgroundGauges;
import dev.bookingplatform.eventing.relay.RelayStatus;

/**
 * Gauges an alert can watch: partitions stuck on one record longer than the configured time, whether the relay
 * is healthy (1) or not (0), with its failures in a row, and the WAL its replication slot holds back.
 */
final class EventingMetrics implements SmartInitializingSingleton, DisposableBean {

    private final BackgroundGauges databaseGauges = new BackgroundGauges("eventing", Duration.ofSeconds(10));

    private final ObjectProvider<MeterRegistry> registry;

    private final ObjectProvider<EventConsumerLifecycle> consumer;

    private final ObjectProvider<OutboxRelayLifecycle> relay;

    private final EventingProperties properties;

    private final ObjectProvider<DataSource> dataSource;

    EventingMetrics(ObjectProvider<MeterRegistry> registry, ObjectProvider<EventConsumerLifecycle> consumer,
            ObjectProvider<OutboxRelayLifecycle> relay, EventingProperties properties, ObjectProvider<DataSource> dataSource) {
        this.dataSource = dataSource;
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
            // Leader-aware: a standby reads 0, so "no replica streams" is max(...) == 0 across a service's replicas.
            Gauge.builder("eventing.relay.streaming", () -> streaming(outbox.status(), properties.relay().stallTimeout()) ? 1 : 0)
                    .description("1 while this replica leads the relay and publishes without a stall, 0 otherwise")
                    .register(meters);
            Gauge.builder("eventing.relay.failures.in.a.row", () -> outbox.status().failuresInARow())
                    .description("Failed relay attempts since it last worked").register(meters);
            Gauge.builder("eventing.relay.term", () -> outbox.status().term()).register(meters);
            Gauge.builder("eventing.relay.batch.waiting.seconds", () -> waitingSeconds(outbox.status()))
                    .description("How long the batch being published has waited for Kafka").register(meters);
            String slot = outbox.settings().slotName();
            DataSource database = dataSource.getIfAvailable();
            if (database != null) {
                databaseGauges.register(meters, "eventing.relay.slot.lag", "WAL the replication slot holds back: written"
                        + " but not yet confirmed by the relay (NaN if the slot is missing or the database cannot be read)",
                        () -> slotLagBytes(database, slot), gauge -> gauge.baseUnit("bytes").tag("slot", slot));
            }
        }
    }

    @Override
    public void destroy() {
        databaseGauges.close();
    }

    private static boolean streaming(RelayStatus status, Duration stallTimeout) {
        return status.state() == RelayStatus.State.RUNNING && !status.isStalled(stallTimeout, Instant.now());
    }

    /** Read in the background every 10 s (a scrape never waits on the database). */
    private static double slotLagBytes(DataSource database, String slot) {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM pg_replication_slots WHERE slot_name = ?")) {
            query.setQueryTimeout(2);
            query.setString(1, slot);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getObject(1) != null ? row.getDouble(1) : Double.NaN;
            }
        }
        catch (SQLException ex) {
            return Double.NaN;
        }
    }

    private static double waitingSeconds(RelayStatus status) {
        return status.batchWaitingSince() == null ? 0
                : (System.currentTimeMillis() - status.batchWaitingSince().toEpochMilli()) / 1000.0;
    }
}
