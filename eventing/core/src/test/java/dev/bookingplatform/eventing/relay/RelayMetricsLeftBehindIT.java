package dev.bookingplatform.eventing.relay;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.eventing.support.OutboxFixture;
import dev.bookingplatform.eventing.support.TestEvents;
import dev.bookingplatform.eventing.support.TopicReader;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine stopped abruptly (its stop interrupted, as when a stalled leader steps down) may leave Debezium's JMX
 * metrics registered. The next engine of the same database in that JVM must not wait for those names: Debezium
 * retries a taken name twelve times, five seconds apart, for each of its two metrics, so the relay streamed again only
 * two minutes later (seen in CI on 2026-12-07: a standby taking over in the same JVM published nothing for 111 s).
 */
@RealInfrastructure
@Timeout(120)
class RelayMetricsLeftBehindIT {

    /** What an abruptly stopped engine leaves: an MBean under the name Debezium gives its metrics. */
    public interface LeftBehindMBean {
    }

    public static final class LeftBehind implements LeftBehindMBean {
    }

    @Test
    void metricsLeftBehindByAnAbruptlyStoppedEngineDoNotHoldUpTheNextOne(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("metrics_left_behind");
        OutboxFixture outbox = new OutboxFixture(database, kafka, registry);
        RelaySettings settings = outbox.relaySettings();
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        List<ObjectName> leftBehind = new ArrayList<>();
        for (String context : List.of("snapshot", "streaming")) {
            ObjectName name = new ObjectName("debezium.postgres:type=connector-metrics,context=" + context + ",server="
                    + settings.engineName());
            mbeans.registerMBean(new LeftBehind(), name);
            leftBehind.add(name);
        }
        UUID bookingId = UUID.randomUUID();
        try (OutboxRelay relay = outbox.startRelay(settings);
                TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS, Set.of(bookingId.toString()))) {
            outbox.inTransaction(writer -> writer.append(bookingId.toString(), TestEvents.bookingRequested(bookingId, 1, "left-behind",
                    UUID.randomUUID())));
            long since = System.nanoTime();
            assertThat(reader.awaitAtLeast(1, Duration.ofSeconds(20))).as("published within 20 s, not after Debezium's minutes")
                    .hasSize(1);
            System.out.printf("With metrics left behind under its names, the relay published in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - since).toMillis());
        }
        finally {
            for (ObjectName name : leftBehind) {
                mbeans.unregisterMBean(name);
            }
        }
    }
}
