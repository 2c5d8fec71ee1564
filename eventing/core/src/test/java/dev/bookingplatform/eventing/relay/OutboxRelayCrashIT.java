package dev.bookingplatform.eventing.relay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.inbox.InboxGuard;
import dev.bookingplatform.eventing.support.OutboxFixture;
import dev.bookingplatform.eventing.support.OutboxLoad;
import dev.bookingplatform.eventing.support.Sequences;
import dev.bookingplatform.eventing.support.TopicReader;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay's JVM killed with SIGKILL mid-stream: no shutdown hook, no offset flush, no clean stop. */
@RealInfrastructure
@Timeout(300)
class OutboxRelayCrashIT {

    private static final int AGGREGATES = 50;

    /** 1,000 events in ./mvnw verify, 3,000 under -Pchaos. */
    private static final int EVENTS_PER_AGGREGATE = Integer.getInteger("bookingplatform.chaos.scale", 1) > 1 ? 60 : 20;

    @Test
    void relayKilledMidStreamLosesNothingAndTheInboxAppliesEachEventOnce(PostgresDatabase database,
            KafkaBroker kafka, SchemaRegistry registry) throws Exception {
        OutboxFixture outbox = new OutboxFixture(database, kafka, registry);
        List<UUID> aggregates = OutboxLoad.aggregates(AGGREGATES);
        int total = AGGREGATES * EVENTS_PER_AGGREGATE;

        try (TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS,
                OutboxRelayFailureIT.keys(aggregates))) {
            Process relayProcess = startRelayProcess(database, kafka);
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> write(database, registry, aggregates));

            reader.awaitAtLeast(total / 4, Duration.ofSeconds(120));
            relayProcess.destroyForcibly();
            assertThat(relayProcess.waitFor(30, TimeUnit.SECONDS)).isTrue();
            int receivedBeforeCrash = reader.poll().size();
            load.get();

            try (OutboxRelay restarted = outbox.startRelay()) {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Sequences.distinctEventIds(reader.poll()).size() == total);

                List<ConsumerRecord<String, byte[]>> received = reader.poll();
                int duplicates = received.size() - total;
                System.out.printf("Relay crash: %d of %d events were out before SIGKILL; %d duplicates after restart%n",
                        receivedBeforeCrash, total, duplicates);
                assertThat(receivedBeforeCrash).isLessThan(total);
                assertThat(Sequences.byAggregate(received, registry.url()).values()).allSatisfy(sequence ->
                        assertThat(Sequences.withoutRedeliveries(sequence))
                                .isEqualTo(OutboxRelayFailureIT.oneTo(EVENTS_PER_AGGREGATE)));
                assertThat(applyThroughInbox(outbox, received)).isEqualTo(total);
            }
        }
    }

    /** Feeds every received record, duplicates included, through the inbox; returns how many applied. */
    private static int applyThroughInbox(OutboxFixture outbox, List<ConsumerRecord<String, byte[]>> received) {
        InboxGuard inbox = new InboxGuard(outbox.dataSource());
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(outbox.dataSource()));
        int applied = 0;
        for (ConsumerRecord<String, byte[]> record : received) {
            UUID eventId = UUID.fromString(new String(record.headers().lastHeader("eventId").value()));
            if (Boolean.TRUE.equals(transactions.execute(status -> inbox.firstDelivery("crash-test", eventId)))) {
                applied++;
            }
        }
        return applied;
    }


    private static void write(PostgresDatabase database, SchemaRegistry registry, List<UUID> aggregates) {
        try {
            OutboxLoad.write(database, registry.url(), aggregates, EVENTS_PER_AGGREGATE, 2, 10);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Process startRelayProcess(PostgresDatabase database, KafkaBroker kafka) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Files.createTempFile("relay-process-", ".log");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, RelayProcessMain.class.getName(), database.host(), Integer.toString(database.port()),
                database.name(), database.username(), kafka.bootstrapServers(), database.password())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

}
