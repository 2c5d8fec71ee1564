package dev.bookingplatform.eventing.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

@RealInfrastructure
@Timeout(300)
class OutboxRelayVolumeIT {

    @Test
    void tenThousandEventsOverAHundredAggregatesArriveCompleteAndInOrder(PostgresDatabase database,
            KafkaBroker kafka, SchemaRegistry registry) throws Exception {
        OutboxFixture outbox = new OutboxFixture(database, kafka, registry);
        List<UUID> aggregates = OutboxLoad.aggregates(100);
        Set<String> keys = aggregates.stream().map(UUID::toString).collect(Collectors.toSet());

        try (OutboxRelay relay = outbox.startRelay();
                TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS, keys)) {
            OutboxLoad.write(database, registry.url(), aggregates, 100, 4, 20);

            var records = reader.awaitAtLeast(10_000, Duration.ofSeconds(180));

            Map<String, List<Integer>> sequences = Sequences.byAggregate(records, registry.url());
            List<Integer> oneToHundred = IntStream.rangeClosed(1, 100).boxed().toList();
            assertThat(sequences).hasSize(100);
            assertThat(sequences.values()).allSatisfy(received -> assertThat(received).isEqualTo(oneToHundred));
            assertThat(relay.publishedCount()).isEqualTo(10_000);
        }
    }
}
