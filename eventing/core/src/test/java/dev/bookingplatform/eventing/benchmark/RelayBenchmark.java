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
 * events/s and commit-to-consumer latency, in the same run, for our {@link OutboxRelay}, for a bare Debezium engine
 * feeding a plain producer (the baseline), and for the same bare engine publishing each batch in a Kafka
 * transaction (what fencing costs before anything of ours). Run with the command in the README.
 */
public final class RelayBenchmark {

    private static final int WRITERS = 4;

    private static final Duration PACED_RUN = Duration.ofSeconds(10);

    private static final int FLAT_OUT_EVENTS = 20_000;

    private static final byte[] PAYLOAD = new byte[220];

    private RelayBenchmark() {
    }

    /** {@code -Dbookingplatform.relay-benchmark.trials=N}: fewer for a quick look, more to settle a close call. */
    private static final int TRIALS = Integer.getInteger("bookingplatform.relay-benchmark.trials", 3);

    /** {@code -Dbookingplatform.relay-benchmark.rates=1000,2000}: events a second, 0 for flat out. */
    private static final int[] RATES = java.util.Arrays.stream(System.getProperty("bookingplatform.relay-benchmark.rates",
            "500,1000,2000,0").split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();

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

    private static final String BASELINE = "baseline";

    private static final String BARE_TRANSACTIONAL = "bare-transactional";

    private static final String RELAY = "relay";

    private static final List<String> MODES = List.of(BASELINE, BARE_TRANSACTIONAL, RELAY);

    /**
     * {@code -Dbookingplatform.relay-benchmark.seed=N} replays a run's order. Each measurement's three runs go in a
     * shuffled order: a run leaves work behind (vacuum, the broker's logs, garbage), and no relay should always be the
     * one that meets it.
     */
    private static final long SEED = Long.getLong("bookingplatform.relay-benchmark.seed", System.nanoTime());

    private static void run() throws Exception {
        String bootstrap = Infrastructure.kafka().bootstrapServers();
        java.util.Random order = new java.util.Random(SEED);
        System.out.println("Relay benchmark: order seed " + SEED + " (-Dbookingplatform.relay-benchmark.seed=" + SEED
                + " replays it)");
        Map<Integer, List<Map<String, Result>>> trials = new java.util.LinkedHashMap<>();
        List<String> trialRows = new ArrayList<>();
        int run = 0;
        // Not counted: the JIT, the broker and PostgreSQL warm up on the first runs of a JVM, whichever goes first.
        for (String mode : MODES) {
            measure(mode, 1_000, bootstrap, ++run);
        }
        for (int trial = 1; trial <= TRIALS; trial++) {
            for (int rate : RATES) {
                List<String> modes = new ArrayList<>(MODES);
                java.util.Collections.shuffle(modes, order);
                Map<String, Result> results = new java.util.HashMap<>();
                for (String mode : modes) {
                    results.put(mode, measure(mode, rate, bootstrap, ++run));
                }
                trials.computeIfAbsent(rate, key -> new ArrayList<>()).add(results);
                String row = trialRow(trial, rate, modes, results);
                trialRows.add(row);
                System.out.println(row);
            }
        }
        List<String> rows = new ArrayList<>();
        trials.forEach((rate, results) -> rows.add(String.format(Locale.ROOT,
                "| %s | %.0f | %.0f | %.0f | %.2f | %.2f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.2f | %.2f | %.2f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f |",
                label(rate),
                median(results, r -> r.get(BASELINE).eventsPerSecond),
                median(results, r -> r.get(BARE_TRANSACTIONAL).eventsPerSecond),
                median(results, r -> r.get(RELAY).eventsPerSecond),
                median(results, r -> r.get(RELAY).eventsPerSecond / r.get(BASELINE).eventsPerSecond),
                median(results, r -> r.get(RELAY).eventsPerSecond / r.get(BARE_TRANSACTIONAL).eventsPerSecond),
                median(results, r -> r.get(BASELINE).p50Millis), median(results, r -> r.get(BASELINE).p99Millis),
                median(results, r -> r.get(BARE_TRANSACTIONAL).p50Millis), median(results, r -> r.get(BARE_TRANSACTIONAL).p99Millis),
                median(results, r -> r.get(RELAY).p50Millis), median(results, r -> r.get(RELAY).p99Millis),
                median(results, r -> r.get(RELAY).p99Millis / r.get(BASELINE).p99Millis),
                median(results, r -> r.get(BARE_TRANSACTIONAL).p99Millis / r.get(BASELINE).p99Millis),
                median(results, r -> r.get(RELAY).p99Millis / r.get(BARE_TRANSACTIONAL).p99Millis),
                median(results, r -> r.get(BASELINE).batchP50Millis), median(results, r -> r.get(BASELINE).batchP99Millis),
                median(results, r -> r.get(BARE_TRANSACTIONAL).batchP50Millis),
                median(results, r -> r.get(BARE_TRANSACTIONAL).batchP99Millis),
                median(results, r -> r.get(RELAY).batchP50Millis), median(results, r -> r.get(RELAY).batchP99Millis))));
        String table = """
                | load | baseline events/s | bare transactional events/s | relay events/s | relay / baseline rate | relay / bare transactional rate | baseline p50 / p99 ms | bare transactional p50 / p99 ms | relay p50 / p99 ms | relay / baseline p99 | bare transactional / baseline p99 | relay / bare transactional p99 | baseline batch acks p50 / p99 ms | bare transactional commit p50 / p99 ms | relay commit p50 / p99 ms |
                | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
                """ + String.join("\n", rows) + "\n\nMedians of " + TRIALS + " trials; each ratio is the median of the"
                + " per-trial ratios, each trial's runs against each other (order seed " + SEED + "). Bare transactional:"
                + " the baseline's engine publishing each batch in a Kafka transaction, nothing else of ours. Batch times:"
                + " from a batch's last record sent until Kafka acknowledged the batch (the baseline: its records' acks,"
                + " after its producer's linger.ms=1; the transactional two: the transaction's commit; the relay's is"
                + " eventing.relay.commit).\n\nEach trial, in the order run:\n\n" + String.join("\n", trialRows) + "\n";
        Path report = Path.of("target", "relay-benchmark.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
        System.out.println("\n" + table + "\nWritten to " + report.toAbsolutePath());
    }

    private static String trialRow(int trial, int rate, List<String> modes, Map<String, Result> results) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "- trial %d, %s:", trial, label(rate)));
        for (String mode : modes) {
            Result result = results.get(mode);
            row.append(String.format(Locale.ROOT, " %s %.0f/s p50 %.1f p99 %.1f ms (batch p99 %.1f ms);", mode,
                    result.eventsPerSecond, result.p50Millis, result.p99Millis, result.batchP99Millis));
        }
        Result baseline = results.get(BASELINE);
        Result bare = results.get(BARE_TRANSACTIONAL);
        Result relay = results.get(RELAY);
        row.append(String.format(Locale.ROOT, " p99 relay / baseline %.2f, bare transactional / baseline %.2f, relay / bare"
                + " transactional %.2f", relay.p99Millis / baseline.p99Millis, bare.p99Millis / baseline.p99Millis,
                relay.p99Millis / bare.p99Millis));
        return row.toString();
    }

    /**
     * The bare outbox path flat out on this machine: a Debezium engine and a plain producer, nothing of ours, moving
     * {@link #FLAT_OUT_EVENTS} outbox rows from a fresh database to a consumer. The saga benchmark measures it in its
     * own run, against the same PostgreSQL and broker, as the ceiling its events/s are a share of.
     *
     * @return events a second, commit of the first row to arrival of the last
     */
    public static double bareFlatOutEventsPerSecond(String bootstrap) throws Exception {
        return measure(BASELINE, 0, bootstrap, (int) (System.nanoTime() & 0xffff)).eventsPerSecond;
    }

    private static String label(int rate) {
        return rate == 0 ? "flat out" : rate + "/s";
    }

    private static double median(List<Map<String, Result>> results,
            java.util.function.ToDoubleFunction<Map<String, Result>> value) {
        double[] values = results.stream().mapToDouble(value).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static Result measure(String mode, int rate, String bootstrap, int run) throws Exception {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("bench_" + mode.replace('-', '_'));
        EventingSchema.migrate(database.dataSource());
        String aggregateType = "bench" + run + mode.replace("-", "");
        String topic = aggregateType + ".events";
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        BatchTimes batches = new BatchTimes();
        AutoCloseable relay = switch (mode) {
            case RELAY -> startOurs(database, bootstrap, batches);
            case BARE_TRANSACTIONAL -> BareDebeziumRelay.transactional(database, bootstrap,
                    Files.createTempDirectory("baseline-offsets"), batches);
            default -> BareDebeziumRelay.plain(database, bootstrap, Files.createTempDirectory("baseline-offsets"), batches);
        };
        try (relay; LatencyConsumer consumer = new LatencyConsumer(bootstrap, topic)) {
            Map<String, Long> warmUp = LoadWriter.write(database, aggregateType, 500, 0, WRITERS, PAYLOAD);
            awaitAll(consumer, warmUp, Duration.ofSeconds(120));
            batches.clear();

            int events = rate == 0 ? FLAT_OUT_EVENTS : (int) (rate * PACED_RUN.toSeconds());
            Map<String, Long> committed = LoadWriter.write(database, aggregateType, events, rate, WRITERS, PAYLOAD);
            awaitAll(consumer, committed, Duration.ofSeconds(300));
            String batchTimer = switch (mode) {
                case RELAY -> BatchTimes.RELAY_COMMIT;
                case BARE_TRANSACTIONAL -> BatchTimes.BARE_TRANSACTION_COMMIT;
                default -> BatchTimes.BASELINE_ACKS;
            };
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
