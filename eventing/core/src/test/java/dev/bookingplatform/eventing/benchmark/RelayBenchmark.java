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

import dev.bookingplatform.eventing.metrics.EventingMeters;
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

    private static final int TRIALS = 3;

    private static final int[] RATES = { 500, 1_000, 2_000, 0 };

    public static void main(String[] args) throws Exception {
        int exitStatus = 1;
        try {
            run();
            exitStatus = 0;
        }
        finally {
            // exec:java waits for every non-daemon thread, and the embedded broker's never end: stop here.
            System.exit(exitStatus);
        }
    }

    private static void run() throws Exception {
        String bootstrap = Infrastructure.kafka().bootstrapServers();
        Map<Integer, List<Result[]>> trials = new java.util.LinkedHashMap<>();
        int run = 0;
        // Not counted: the JIT, the broker and PostgreSQL warm up on the first runs of a JVM, whichever goes first.
        measure("baseline", 1_000, bootstrap, ++run);
        measure("relay", 1_000, bootstrap, ++run);
        for (int trial = 1; trial <= TRIALS; trial++) {
            for (int rate : RATES) {
                // Alternate which goes first, so neither always meets a warmer JVM and database.
                boolean baselineFirst = trial % 2 == 1;
                Result first = measure(baselineFirst ? "baseline" : "relay", rate, bootstrap, ++run);
                Result second = measure(baselineFirst ? "relay" : "baseline", rate, bootstrap, ++run);
                Result baseline = baselineFirst ? first : second;
                Result relay = baselineFirst ? second : first;
                trials.computeIfAbsent(rate, key -> new ArrayList<>()).add(new Result[] { baseline, relay });
                System.out.printf(Locale.ROOT, "trial %d, %s: baseline %.0f/s p99 %.1f ms (batch acks p99 %.1f ms), relay %.0f/s p99"
                        + " %.1f ms (batch commit p99 %.1f ms)%n", trial, label(rate), baseline.eventsPerSecond, baseline.p99Millis,
                        baseline.batchP99Millis, relay.eventsPerSecond, relay.p99Millis, relay.batchP99Millis);
            }
        }
        List<String> rows = new ArrayList<>();
        trials.forEach((rate, results) -> rows.add(String.format(Locale.ROOT,
                "| %s | %.0f | %.0f | %.2f | %.1f / %.1f | %.1f / %.1f | %.2f | %.1f / %.1f | %.1f / %.1f |", label(rate),
                median(results, pair -> pair[0].eventsPerSecond), median(results, pair -> pair[1].eventsPerSecond),
                median(results, pair -> pair[1].eventsPerSecond / pair[0].eventsPerSecond),
                median(results, pair -> pair[0].p50Millis), median(results, pair -> pair[0].p99Millis),
                median(results, pair -> pair[1].p50Millis), median(results, pair -> pair[1].p99Millis),
                median(results, pair -> pair[1].p99Millis / pair[0].p99Millis),
                median(results, pair -> pair[0].batchP50Millis), median(results, pair -> pair[0].batchP99Millis),
                median(results, pair -> pair[1].batchP50Millis), median(results, pair -> pair[1].batchP99Millis))));
        String table = """
                | load | baseline events/s | relay events/s | relay / baseline rate | baseline p50 / p99 ms | relay p50 / p99 ms | relay / baseline p99 | baseline batch acks p50 / p99 ms | relay batch commit p50 / p99 ms |
                | --- | --- | --- | --- | --- | --- | --- | --- | --- |
                """ + String.join("\n", rows) + "\n\nMedians of " + TRIALS + " trials; each ratio is the median of the"
                + " per-trial ratios, each trial's relay against its own baseline. Batch times: from a batch's last record sent"
                + " until Kafka acknowledged the batch (the baseline: its records' acks, after its producer's linger.ms=1; the"
                + " relay: its transaction's commit, eventing.relay.commit).\n";
        Path report = Path.of("target", "relay-benchmark.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
        System.out.println("\n" + table + "\nWritten to " + report.toAbsolutePath());
    }

    /**
     * The bare outbox path flat out on this machine: a Debezium engine and a plain producer, nothing of ours, moving
     * {@link #FLAT_OUT_EVENTS} outbox rows from a fresh database to a consumer. The saga benchmark measures it in its
     * own run, against the same PostgreSQL and broker, as the ceiling its events/s are a share of.
     *
     * @return events a second, commit of the first row to arrival of the last
     */
    public static double bareFlatOutEventsPerSecond(String bootstrap) throws Exception {
        return measure("baseline", 0, bootstrap, (int) (System.nanoTime() & 0xffff)).eventsPerSecond;
    }

    private static String label(int rate) {
        return rate == 0 ? "flat out" : rate + "/s";
    }

    private static double median(List<Result[]> results, java.util.function.ToDoubleFunction<Result[]> value) {
        double[] values = results.stream().mapToDouble(value).sorted().toArray();
        return values[values.length / 2];
    }

    private static Result measure(String mode, int rate, String bootstrap, int run) throws Exception {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("bench_" + mode);
        EventingSchema.migrate(database.dataSource());
        String aggregateType = "bench" + run + mode;
        String topic = aggregateType + ".events";
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        BatchTimes batches = new BatchTimes();
        AutoCloseable relay = mode.equals("relay") ? startOurs(database, bootstrap, batches)
                : new BareDebeziumRelay(database, bootstrap, Files.createTempDirectory("baseline-offsets"), batches);
        try (relay; LatencyConsumer consumer = new LatencyConsumer(bootstrap, topic)) {
            Map<String, Long> warmUp = LoadWriter.write(database, aggregateType, 500, 0, WRITERS, PAYLOAD);
            awaitAll(consumer, warmUp, Duration.ofSeconds(120));
            batches.clear();

            int events = rate == 0 ? FLAT_OUT_EVENTS : (int) (rate * PACED_RUN.toSeconds());
            Map<String, Long> committed = LoadWriter.write(database, aggregateType, events, rate, WRITERS, PAYLOAD);
            awaitAll(consumer, committed, Duration.ofSeconds(300));
            String batchTimer = mode.equals("relay") ? BatchTimes.RELAY_COMMIT : BatchTimes.BASELINE_ACKS;
            return Result.of(committed, consumer.receivedAt(), batches.percentileMillis(batchTimer, 0.5),
                    batches.percentileMillis(batchTimer, 0.99));
        }
    }

    private static AutoCloseable startOurs(PostgresDatabase database, String bootstrap, BatchTimes batches) {
        RelaySettings defaults = RelaySettings.of(database.host(), database.port(), database.name(), database.username(),
                database.password(), bootstrap);
        // Like for like: the baseline's engine polls every 5 ms (BareDebeziumRelay), so ours does here too.
        RelaySettings settings = defaults.withTuning(defaults.slotName(), BareDebeziumRelay.POLL_INTERVAL, defaults.heartbeatInterval(),
                defaults.leaderCheckInterval(), defaults.restartBackoff());
        // As the auto-configuration does: the slot exists before the first row, so no snapshot is needed.
        OutboxRelay.prepareSlot(settings);
        OutboxRelay relay = new OutboxRelay(settings, new EventingMeters(batches.registry()));
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

    /** Events a second and latencies end to end; batch: how long Kafka took to acknowledge a batch (see BatchTimes). */
    private record Result(double eventsPerSecond, double p50Millis, double p99Millis, double batchP50Millis, double batchP99Millis) {

        static Result of(Map<String, Long> committed, Map<String, Long> received, double batchP50Millis, double batchP99Millis) {
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
            return new Result(committed.size() / seconds, percentile(latencies, 0.50), percentile(latencies, 0.99), batchP50Millis,
                    batchP99Millis);
        }

        private static double percentile(List<Long> sorted, double quantile) {
            return sorted.get((int) Math.min(sorted.size() - 1, Math.round(quantile * (sorted.size() - 1)))) / 1e6;
        }
    }
}
