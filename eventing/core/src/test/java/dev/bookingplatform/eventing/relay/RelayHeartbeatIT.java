package dev.bookingplatform.eventing.relay;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.eventing.metrics.EventingMeters;
import dev.bookingplatform.eventing.support.OutboxFixture;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An idle outbox must not pin WAL that other tables write: heartbeats move the slot along. */
@RealInfrastructure
@Timeout(120)
class RelayHeartbeatIT {

    @Test
    void idleOutboxStillAdvancesTheSlotPastOtherTablesWal(PostgresDatabase database, KafkaBroker kafka,
            SchemaRegistry registry) {
        OutboxFixture outbox = new OutboxFixture(database, kafka, registry);
        RelaySettings base = outbox.relaySettings();
        RelaySettings fastHeartbeat = base.withTuning(base.slotName(), base.pollInterval(), Duration.ofMillis(500),
                base.leaderCheckInterval(), base.restartBackoff());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (OutboxRelay relay = new OutboxRelay(fastHeartbeat, new EventingMeters(meters))) {
            relay.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> relay.status().state() == RelayStatus.State.RUNNING);
            outbox.execute("CREATE TABLE unrelated (id serial primary key, filler text)");
            outbox.execute("INSERT INTO unrelated (filler) SELECT repeat('x', 1000) FROM generate_series(1, 5000)");
            long walAfterWrites = outbox.queryLong("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");

            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.queryLong(
                    "SELECT coalesce(confirmed_flush_lsn - '0/0'::pg_lsn, 0) FROM pg_replication_slots WHERE slot_name = '"
                            + fastHeartbeat.slotName() + "'") >= walAfterWrites);
            // Heartbeats went through the publisher (the slot moved), each an empty transaction: no Kafka commit to time.
            assertThat(meters.find("eventing.relay.commit").timers()).allSatisfy(timer -> assertThat(timer.count()).isZero());
        }
    }
}
