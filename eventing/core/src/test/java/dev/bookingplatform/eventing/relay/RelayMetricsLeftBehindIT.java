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
 * The test leaves behind exactly the names the first engine had, so names that do not change from engine to engine
 * (untagged, or one constant tag) fail it.
 */
@RealInfrastructure
@Timeout(180)
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
        ObjectName ofThisDatabase = new ObjectName("debezium.postgres:type=connector-metrics,server=" + settings.engineName() + ",*");

        Set<ObjectName> firstEngines;
        try (OutboxRelay first = outbox.startRelay(settings)) {
            publishAndAwait(outbox, kafka, Duration.ofSeconds(60));
            firstEngines = mbeans.queryNames(ofThisDatabase, null);
        }
        assertThat(firstEngines).as("the engine's metrics, as Debezium names them").hasSize(2);
        assertThat(mbeans.queryNames(ofThisDatabase, null)).as("stopping the relay removes them").isEmpty();

        List<ObjectName> leftBehind = new ArrayList<>();
        try {
            // What a stop cut short leaves: the very names the first engine had.
            for (ObjectName name : firstEngines) {
                mbeans.registerMBean(new LeftBehind(), name);
                leftBehind.add(name);
            }
            try (OutboxRelay second = outbox.startRelay(settings)) {
                long took = publishAndAwait(outbox, kafka, Duration.ofSeconds(45));
                System.out.printf("With the last engine's metrics left behind, the next relay published in %d ms%n", took);
                assertThat(mbeans.queryNames(ofThisDatabase, null)).as("its own metrics beside those left behind").hasSize(4);
            }
            ObjectName one = leftBehind.get(0);
            DebeziumMetrics.unregister(settings.engineName(), Long.parseLong(one.getKeyProperty("term")),
                    Long.parseLong(one.getKeyProperty("engine")));
            assertThat(leftBehind).as("removed by the relay's clean-up, by term and engine").noneMatch(mbeans::isRegistered);
        }
        finally {
            for (ObjectName name : leftBehind) {
                if (mbeans.isRegistered(name)) {
                    mbeans.unregisterMBean(name);
                }
            }
        }
    }

    /** @return how long the event took to reach the topic, in ms; fails if it did not within the timeout */
    private static long publishAndAwait(OutboxFixture outbox, KafkaBroker kafka, Duration timeout) {
        UUID bookingId = UUID.randomUUID();
        try (TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS, Set.of(bookingId.toString()))) {
            long since = System.nanoTime();
            outbox.inTransaction(writer -> writer.append(bookingId.toString(), TestEvents.bookingRequested(bookingId, 1, "left-behind",
                    UUID.randomUUID())));
            assertThat(reader.awaitAtLeast(1, timeout)).hasSize(1);
            return Duration.ofNanos(System.nanoTime() - since).toMillis();
        }
    }
}
