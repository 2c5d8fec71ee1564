package dev.bookingplatform.system.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bookingplatform.eventing.benchmark.RelayBenchmark;
import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;
import dev.bookingplatform.localstack.system.SystemInfrastructure;
import dev.bookingplatform.localstack.system.SystemSettings;
import dev.bookingplatform.stripesim.CheckoutSession;
import dev.bookingplatform.stripesim.StripeLatency;
import dev.bookingplatform.testsupport.kafka.EmbeddedKafkaBroker;
import dev.bookingplatform.web.security.Scopes;

/**
 * The saga under load: the whole platform in this JVM (four services, PostgreSQL, the broker, the registry,
 * the Stripe simulator), bookings arriving open loop through the booking API at fixed rates and flat out, each
 * customer paying once the checkout URL is there, with the simulator answering at once and with Stripe's
 * latency. Times come from the databases; the bare outbox path (a Debezium engine and a plain producer, flat
 * out) is measured in the same run as the ceiling. Not part of {@code ./mvnw verify}:
 * {@code ./mvnw -pl system-tests -am -Pbenchmark verify -DskipTests}; the table lands in
 * {@code target/saga-benchmark.md}.
 *
 * <p>Tunable with system properties: {@code bookingplatform.benchmark.seconds} (each paced level, 20),
 * {@code .warm-up-seconds} (120 at 30 bookings/s, not counted: the whole platform in one JVM is tens of thousands of
 * methods to compile, and a shorter warm-up measured the JIT more than the saga),
 * {@code .rates} (10,50,100,150,0; 0 is flat out), {@code .flat-out-bookings} (3000), {@code .stripe-latencies}
 * (0,300ms/600ms), {@code .stripe-rate-limit} (200), {@code .replicas} (1; {@code 1,2} runs every level with one replica
 * of each service, then with two: the first of each in this JVM, the second in a JVM of its own, each system on a
 * broker of its own; and reports the ratio); any service property too (e.g.
 * {@code -Dbookingplatform.stripe.intents.workers=8}).
 */
public final class SagaBenchmark {

    private static final int SECONDS = Integer.getInteger("bookingplatform.benchmark.seconds", 20);

    private static final int WARM_UP_SECONDS = Integer.getInteger("bookingplatform.benchmark.warm-up-seconds", 120);

    private static final int WARM_UP_RATE = 30;

    private static final int FLAT_OUT_BOOKINGS = Integer.getInteger("bookingplatform.benchmark.flat-out-bookings", 3_000);

    private static final int STRIPE_RATE_LIMIT = Integer.getInteger("bookingplatform.benchmark.stripe-rate-limit", 200);

    /** Replicas of every service, one system after another in the same run (e.g. 1,2). */
    private static final List<Integer> REPLICAS = Arrays.stream(System.getProperty("bookingplatform.benchmark.replicas", "1").split(","))
            .map(String::strip).map(Integer::valueOf).toList();

    private static final String[] SERVICES = { "booking-service", "inventory-service", "payment-service", "notification-service" };

    private SagaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int exitStatus = 1;
        try {
            run();
            exitStatus = 0;
        }
        catch (Exception | Error failed) {
            failed.printStackTrace();
        }
        finally {
            // exec:java waits for every non-daemon thread, and the embedded broker's never end: stop here.
            System.exit(exitStatus);
        }
    }

    private static void run() throws Exception {
        List<Integer> rates = Arrays.stream(System.getProperty("bookingplatform.benchmark.rates", "10,50,100,150,0").split(","))
                .map(String::strip).map(Integer::valueOf).toList();
        List<StripeLatency> latencies = Arrays.stream(System.getProperty("bookingplatform.benchmark.stripe-latencies", "0,300ms/600ms")
                .split(",")).map(StripeLatency::parse).toList();
        long seed = Long.getLong("bookingplatform.benchmark.seed", System.nanoTime());
        System.out.printf("Saga benchmark: rates %s/s (0 = flat out, %d bookings), %d s each, Stripe latency %s, Stripe limit"
                + " %d requests/s, seed %d%n", rates, FLAT_OUT_BOOKINGS, SECONDS, latencies, STRIPE_RATE_LIMIT, seed);

        List<Level> levels = new ArrayList<>();
        for (int replicas : REPLICAS) {
            System.out.printf("%d replica(s) of every service%n", replicas);
            // A broker of each system's own: the next system must not meet this one's topics, offsets or stragglers.
            try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
                    BookingSystem system = BookingSystem.start(settings().withReplicas(replicas),
                            SystemInfrastructure.sharedBut(kafka.bootstrapServers(), SagaBenchmark::progress), SagaBenchmark::progress)) {
                system.stripe().rateLimit(STRIPE_RATE_LIMIT);
                String token = system.tokens().issue("saga-benchmark", Duration.ofHours(12), Scopes.BOOKINGS_WRITE,
                        Scopes.BOOKINGS_READ, Scopes.BOOKINGS_ADMIN, Scopes.CATALOG_WRITE, Scopes.OPS);
                String resource = createResource(system, token);
                List<String> bookingApis = system.replicas("booking-service").stream().map(replica -> replica.url().toString()).toList();
                OpenLoopArrivals arrivals = new OpenLoopArrivals(bookingApis, token, resource, seed);

                System.out.printf("Warming up: %d bookings/s for %d s, not counted%n", WARM_UP_RATE, WARM_UP_SECONDS);
                system.stripe().latency(StripeLatency.NONE);
                level(system, replicas, arrivals, StripeLatency.NONE, WARM_UP_RATE, Math.max(1, WARM_UP_RATE * WARM_UP_SECONDS));
                for (StripeLatency latency : latencies) {
                    system.stripe().latency(latency);
                    for (int rate : rates) {
                        int count = rate == 0 ? FLAT_OUT_BOOKINGS : rate * SECONDS;
                        Level result = level(system, replicas, arrivals, latency, rate, count);
                        System.out.println(result.row(Double.NaN));
                        levels.add(result);
                    }
                }
            }
        }
        System.out.println("Bare outbox path, flat out (Debezium engine and a plain producer, nothing of ours)");
        double bare;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            bare = RelayBenchmark.bareFlatOutEventsPerSecond(kafka.bootstrapServers());
        }
        String table = table(levels.stream().map(level -> level.row(bare)).toList(), bare) + replicaRatios(levels);
        Path report = Path.of("target", "saga-benchmark.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
        System.out.println("\n" + table + "\nWritten to " + report.toAbsolutePath());
    }

    private static SystemSettings settings() {
        SystemSettings settings = SystemSettings.anyFreePorts()
                .withServiceProperty("spring.main.register-shutdown-hook", "false")
                .withServiceProperty("spring.main.banner-mode", "off")
                // One gateway identity sends every booking: the per-caller limits would measure themselves.
                .withServiceProperty("bookingplatform.security.rate-limits.enabled", "false");
        String logging = System.getProperty("bookingplatform.benchmark.logging");
        return logging == null ? settings : settings.withServiceProperty("logging.config", "file:" + logging);
    }

    private static Level level(BookingSystem system, int replicas, OpenLoopArrivals arrivals, StripeLatency latency, int rate,
            int count) throws Exception {
        Instant start = Instant.now();
        int limitedBefore = system.stripe().rateLimited();
        try (PayingCustomers customers = new PayingCustomers(system.booking().dataSource(), system.stripe())) {
            OpenLoopArrivals.Sent sent;
            if (rate == 0) {
                sent = arrivals.flatOut(count, customers::expect);
            }
            else {
                sent = arrivals.atRate(rate, count, customers::expect);
            }
            Duration timeout = Duration.ofSeconds(Math.max(180, rate == 0 ? 600 : 6L * count / rate));
            awaitEnded(system, sent.accepted(), timeout);
            reportUnconfirmed(system, sent.accepted());
            SagaTimes times = SagaTimes.read(system.booking().dataSource(), sent.accepted(), customers.checkoutAt(), customers.paidAt());
            Instant end = times.lastConfirmed().isAfter(start) ? times.lastConfirmed() : Instant.now();
            return new Level(replicas, latency, rate, count, sent, times, eventsBetween(system, start, end),
                    Duration.between(times.firstCreated(), end), duplicateSessions(system, sent.accepted()),
                    system.stripe().rateLimited() - limitedBefore);
        }
    }

    /** Why bookings ended without a confirmation, by state and reason: the table's "lost" counts them too. */
    private static void reportUnconfirmed(BookingSystem system, List<UUID> bookings) {
        String[] ids = bookings.stream().map(UUID::toString).toArray(String[]::new);
        JdbcClient.create(system.booking().dataSource()).sql("""
                SELECT status, coalesce(reason_code, '-') AS reason, count(*) AS n, min(reason) AS example FROM booking
                WHERE id = ANY (?::uuid[]) AND status <> 'CONFIRMED' GROUP BY 1, 2 ORDER BY 3 DESC""").param(ids)
                .query(row -> {
                    System.out.printf("  not confirmed: %d %s (%s), e.g. %s%n", row.getLong("n"), row.getString("status"),
                            row.getString("reason"), row.getString("example"));
                });
    }

    /** Waits until every booking ended (confirmed, rejected or cancelled), or the timeout; returns how many did. */
    private static int awaitEnded(BookingSystem system, List<UUID> bookings, Duration timeout) throws InterruptedException {
        JdbcClient jdbc = JdbcClient.create(system.booking().dataSource());
        String[] ids = bookings.stream().map(UUID::toString).toArray(String[]::new);
        long deadline = System.nanoTime() + timeout.toNanos();
        int ended = 0;
        int reported = -1;
        while (System.nanoTime() < deadline) {
            ended = jdbc.sql("SELECT count(*) FROM booking WHERE id = ANY (?::uuid[]) AND status IN ('CONFIRMED', 'REJECTED', 'CANCELLED')")
                    .param(ids).query(Integer.class).single();
            if (ended == bookings.size()) {
                return ended;
            }
            if (ended / 500 != reported) {
                reported = ended / 500;
                System.out.printf("  %d of %d bookings ended%n", ended, bookings.size());
            }
            // A benchmark driver checking progress once a second, in the database: no test framework here.
            Thread.sleep(1_000);
        }
        System.out.printf("  only %d of %d bookings ended within %d s%n", ended, bookings.size(), timeout.toSeconds());
        return ended;
    }

    /** Outbox rows every service wrote in the window: the saga's events. */
    private static long eventsBetween(BookingSystem system, Instant from, Instant to) {
        long events = 0;
        for (String name : SERVICES) {
            RunningService service = system.services().stream().filter(running -> running.name().equals(name)).findFirst().orElseThrow();
            events += JdbcClient.create(service.dataSource())
                    .sql("SELECT count(*) FROM outbox_event WHERE recorded_at BETWEEN ? AND ?")
                    .params(Timestamp.from(from), Timestamp.from(to.plusMillis(1))).query(Long.class).single();
        }
        return events;
    }

    /** Bookings with more than one Stripe Checkout Session: each must have exactly one. */
    private static long duplicateSessions(BookingSystem system, List<UUID> bookings) {
        Set<String> ids = bookings.stream().map(UUID::toString).collect(Collectors.toSet());
        return system.stripe().sessions().stream().map(CheckoutSession::metadata).map(metadata -> metadata.get("bookingId"))
                .filter(ids::contains).collect(Collectors.groupingBy(id -> id, Collectors.counting()))
                .values().stream().filter(sessions -> sessions > 1).count();
    }

    private static String createResource(BookingSystem system, String token) throws Exception {
        String id = "bench-court-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(system.inventory().url() + "/api/resources/" + id))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString("""
                        {"name":"Benchmark court","capacityPerUnit":100000,"unitPriceMinor":2000,"currency":"EUR",
                         "holdDurationSeconds":2400,"addOns":[]}""")).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Creating the benchmark's resource answered " + created.statusCode() + ": " + created.body());
        }
        JdbcClient booking = JdbcClient.create(system.booking().dataSource());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (booking.sql("SELECT count(*) FROM known_resource WHERE id = ?").param(id).query(Long.class).single() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("booking-service did not learn of resource " + id + " within 60 s");
            }
            Thread.sleep(100);
        }
        return id;
    }

    private static String table(List<String> rows, double bareEventsPerSecond) {
        return String.format(Locale.ROOT, """
                | replicas | Stripe latency | offered | answered | confirmed | checkouts/s | confirmed/s | confirmed/s while arriving \
                | create -> AWAITING_PAYMENT p50 / p99 ms | create -> checkout URL p50 / p99 ms | pay -> CONFIRMED p50 / p99 ms \
                | saga events/s | of bare path | Stripe 429s | lost / duplicated |
                | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
                %s

                Bare outbox path flat out in the same run: %.0f events/s (a Debezium engine and a plain producer, nothing of \
                ours, one fresh database). "of bare path" is the saga's events/s over it.
                """, String.join("\n", rows), bareEventsPerSecond);
    }

    /**
     * For each level run with one replica and with more: confirmations a second with more over those with one, in this
     * run. Above 1.0, more replicas moved more bookings; below, they cost more than they gave (on 2 cores, expected).
     */
    private static String replicaRatios(List<Level> levels) {
        StringBuilder ratios = new StringBuilder();
        for (Level single : levels) {
            if (single.replicas() != 1) {
                continue;
            }
            levels.stream().filter(more -> more.replicas() > 1 && more.rate() == single.rate() && more.latency().equals(single.latency()))
                    .forEach(more -> ratios.append(String.format(Locale.ROOT,
                            "- %s, %s: %d replicas confirmed %.1f/s, one %.1f/s: ratio %.2f%n", single.latency(),
                            single.rate() == 0 ? "flat out" : single.rate() + "/s", more.replicas(),
                            more.times().confirmationsPerSecond(), single.times().confirmationsPerSecond(),
                            more.times().confirmationsPerSecond() / single.times().confirmationsPerSecond())));
        }
        return ratios.isEmpty() ? "" : "\nReplicas against one, same run:\n\n" + ratios;
    }

    private static void progress(String step) {
        System.out.println("  starting " + step + " ...");
    }

    /** One level's outcome, as a table row. */
    private record Level(int replicas, StripeLatency latency, int rate, int count, OpenLoopArrivals.Sent sent, SagaTimes times, long events,
            Duration window, long duplicated, int rateLimited) {

        /** Confirmations a second during the second half of the level's arrivals. */
        double confirmedWhileArriving() {
            Instant half = sent.first().plus(Duration.between(sent.first(), sent.last()).dividedBy(2));
            return times.confirmationsPerSecondBetween(half, sent.last());
        }

        /** The row, its events/s as a share of {@code bareEventsPerSecond} (NaN: not measured yet). */
        String row(double bareEventsPerSecond) {
            int lost = sent.accepted().size() - times.confirmed();
            Map<Integer, Integer> refused = new LinkedHashMap<>(sent.refusedByStatus());
            String answered = sent.accepted().size() + (refused.isEmpty() && sent.failed() == 0 ? ""
                    : " (refused " + refused + (sent.failed() > 0 ? ", failed " + sent.failed() : "") + ")");
            double eventsPerSecond = events / Math.max(0.001, window.toNanos() / 1e9);
            return String.format(Locale.ROOT, "| %d | %s | %s | %s | %d | %.1f | %.1f | %.1f | %s | %s | %s | %.0f | %s | %d | %d / %d |",
                    replicas, latency, rate == 0 ? "flat out (" + count + ")" : rate + "/s x " + SECONDS + " s", answered, times.confirmed(),
                    times.checkoutsPerSecond(), times.confirmationsPerSecond(), confirmedWhileArriving(),
                    SagaTimes.p50p99(times.toAwaitingPaymentMillis()),
                    SagaTimes.p50p99(times.toCheckoutMillis()), SagaTimes.p50p99(times.payToConfirmedMillis()),
                    eventsPerSecond, Double.isNaN(bareEventsPerSecond) ? "-"
                            : String.format(Locale.ROOT, "%.1f%%", 100 * eventsPerSecond / bareEventsPerSecond), rateLimited,
                    lost, duplicated);
        }
    }
}
