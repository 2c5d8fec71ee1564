package dev.bookingplatform.eventing.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import dev.bookingplatform.eventing.relay.OutboxRelay;
import dev.bookingplatform.eventing.relay.RelaySettings;
import dev.bookingplatform.eventing.schema.EventingSchema;
import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

/**
 * Outbox inserts from four writer connections, through a relay and the broker, to a consumer: sustained
 * events/s and commit-to-consumer latency, for our {@link OutboxRelay} and for a bare Debezium engine
 * feeding a plain producer, in the same run. Run with the command in the README.
 */
public final class RelayBenchmark {

    private static final int WRITERS = 4;

    private static final Duration PACED_RUN = Duration.ofSeconds(10);

    private static final int FLAT_OUT_EVENTS = 20_000;

    private static final byte[] PAYLOAD = new byte[220];

    private RelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = Infrastructure.kafka().bootstrapServers();
        List<String> rows = new ArrayList<>();
        int run = 0;
        for (int rate : new int[] { 500, 1_000, 2_000, 0 }) {
            Result baseline = measure("baseline", rate, bootstrap, ++run);
            Result relay = measure("relay", rate, bootstrap, ++run);
            rows.add(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f | %.1f / %.1f | %.1f / %.1f |",
                    rate == 0 ? "flat out" : rate + "/s", baseline.eventsPerSecond, relay.eventsPerSecond,
                    relay.eventsPerSecond / baseline.eventsPerSecond, baseline.p50Millis, baseline.p99Millis,
                    relay.p50Millis, relay.p99Millis));
            System.out.println(rows.get(rows.size() - 1));
        }
        String table = """
                | load | baseline events/s | relay events/s | relay / baseline | baseline p50 / p99 ms | relay p50 / p99 ms |
                | --- | --- | --- | --- | --- | --- |
                """ + String.join("\n", rows) + "\n";
        Path report = Path.of("target", "relay-benchmark.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
        System.out.println("\n" + table + "\nWritten to " + report.toAbsolutePath());
    }

    private static Result measure(String mode, int rate, String bootstrap, int run) throws Exception {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("bench_" + mode);
        EventingSchema.migrate(database.dataSource());
        String aggregateType = "bench" + run + mode;
        String topic = aggregateType + ".events";
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        AutoCloseable relay = mode.equals("relay") ? startOurs(database, bootstrap)
                : new BareDebeziumRelay(database, bootstrap, Files.createTempDirectory("baseline-offsets"));
        try (relay; LatencyConsumer consumer = new LatencyConsumer(bootstrap, topic)) {
            Map<String, Long> warmUp = LoadWriter.write(database, aggregateType, 500, 0, WRITERS, PAYLOAD);
            awaitAll(consumer, warmUp, Duration.ofSeconds(120));

            int events = rate == 0 ? FLAT_OUT_EVENTS : (int) (rate * PACED_RUN.toSeconds());
            Map<String, Long> committed = LoadWriter.write(database, aggregateType, events, rate, WRITERS, PAYLOAD);
            awaitAll(consumer, committed, Duration.ofSeconds(300));
            return Result.of(committed, consumer.receivedAt());
        }
    }

    private static AutoCloseable startOurs(PostgresDatabase database, String bootstrap) {
        OutboxRelay relay = new OutboxRelay(RelaySettings.of(database.host(), database.port(), database.name(),
                database.username(), database.password(), bootstrap));
        relay.start();
        return relay;
    }

    private static void awaitAll(LatencyConsumer consumer, Map<String, Long> committed, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!consumer.receivedAt().keySet().containsAll(committed.keySet())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not every event arrived within " + timeout);
            }
            // A benchmark driver checking progress; no test framework here.
            Thread.sleep(20);
        }
    }

    private record Result(double eventsPerSecond, double p50Millis, double p99Millis) {

        static Result of(Map<String, Long> committed, Map<String, Long> received) {
            List<Long> latencies = new ArrayList<>();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (Map.Entry<String, Long> entry : committed.entrySet()) {
                long arrival = received.get(entry.getKey());
                latencies.add(arrival - entry.getValue());
                first = Math.min(first, entry.getValue());
                last = Math.max(last, arrival);
            }
            latencies.sort(null);
            double seconds = (last - first) / 1e9;
            return new Result(committed.size() / seconds, percentile(latencies, 0.50), percentile(latencies, 0.99));
        }

        private static double percentile(List<Long> sorted, double quantile) {
            return sorted.get((int) Math.min(sorted.size() - 1, Math.round(quantile * (sorted.size() - 1)))) / 1e6;
        }
    }
}
