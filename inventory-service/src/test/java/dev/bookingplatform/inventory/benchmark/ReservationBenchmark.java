package dev.bookingplatform.inventory.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.LineItemKind;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.inventory.InventoryServiceApplication;
import dev.bookingplatform.inventory.reservation.ReservationService;
import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

/**
 * The cost of the all-or-nothing take. "Before" is the reservation as it was until issue 11, inlined: one
 * counter row per slot start, one conditional UPDATE, the hold and its InventoryReserved. "After" is
 * {@link ReservationService#reserve}: share-lock the resource, create and lock every unit in order, check,
 * insert a hold row per unit (the trigger moves the counters), the hold and its event. Both run in the same
 * JVM against the same PostgreSQL, with open-loop arrivals (a fixed schedule, so a slow transaction delays
 * the ones behind it and shows in their latency), then flat out from 8 threads. Latency is from the
 * scheduled start to the commit. Run: {@code ./mvnw -pl inventory-service -am -Pbenchmark verify -DskipTests}.
 */
public final class ReservationBenchmark {

    private static final Duration PACED_RUN = Duration.ofSeconds(15);

    private static final int FLAT_OUT = 3_000;

    private static final int THREADS = 8;

    private static final Instant FROM = Instant.parse("2031-01-01T00:00:00Z");

    private ReservationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("reservation_benchmark");
        // Arguments, not default properties: the service's own YAML would override those.
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(InventoryServiceApplication.class).run(
                "--spring.config.name=inventory-service", "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(), "--spring.datasource.password=" + database.password(),
                "--spring.datasource.hikari.maximum-pool-size=" + (THREADS + 2),
                "--spring.kafka.bootstrap-servers=" + Infrastructure.kafka().bootstrapServers(),
                "--bookingplatform.schema-registry.url=" + Infrastructure.registry().url(),
                "--bookingplatform.inventory.expiry-interval=1h", "--server.port=0")) {
            Workloads workloads = new Workloads(context);
            List<String> rows = new ArrayList<>();
            for (int rate : new int[] { 20, 200, 0 }) {
                for (int units : new int[] { 1, 3, 7 }) {
                    Result before = workloads.run(rate, units, true);
                    Result after = workloads.run(rate, units, false);
                    String ratio = rate == 0 ? String.format(Locale.ROOT, "throughput x%.2f", after.perSecond / before.perSecond)
                            : String.format(Locale.ROOT, "p50 x%.2f", after.p50 / before.p50);
                    rows.add(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %s | %s | %s |",
                            rate == 0 ? "flat out, " + THREADS + " threads" : rate + "/s", units, before.perSecond, after.perSecond,
                            before.latencies(), after.latencies(), ratio));
                    System.out.println(rows.get(rows.size() - 1));
                }
            }
            String table = """
                    | arrivals | units per booking | before bookings/s | after bookings/s | before p50 / p99 ms | after p50 / p99 ms | after / before p50 |
                    | --- | --- | --- | --- | --- | --- | --- |
                    """ + String.join("\n", rows) + "\n";
            Path report = Path.of("target", "reservation-benchmark.md");
            Files.createDirectories(report.getParent());
            Files.writeString(report, table);
            System.out.println("\n" + table + "\nWritten to " + report.toAbsolutePath());
        }
        finally {
            Infrastructure.stopAll();
        }
    }

    /** The two ways to reserve, on resources of their own so neither sees the other's rows. */
    private static final class Workloads {

        private final ReservationService reservations;

        private final TransactionTemplate transactions;

        private final JdbcClient jdbc;

        private final OutboxWriter outbox;

        private final EventMetadataFactory metadata;

        private int run;

        Workloads(ConfigurableApplicationContext context) {
            this.reservations = context.getBean(ReservationService.class);
            this.transactions = context.getBean(TransactionTemplate.class);
            this.jdbc = context.getBean(JdbcClient.class);
            this.outbox = context.getBean(OutboxWriter.class);
            this.metadata = context.getBean(EventMetadataFactory.class);
            jdbc.sql("""
                    CREATE TABLE before_slot_usage (resource_id text NOT NULL, slot_start timestamptz NOT NULL,
                        taken integer NOT NULL DEFAULT 0 CHECK (taken >= 0), PRIMARY KEY (resource_id, slot_start))""").update();
            // The hold table as it was: the new one refuses a hold without its units.
            jdbc.sql("CREATE TABLE before_hold (LIKE hold INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)").update();
        }

        Result run(int rate, int units, boolean before) throws Exception {
            String resource = "bench-" + (++run);
            jdbc.sql("""
                    INSERT INTO resource (id, name, capacity_per_unit, unit_price_minor, currency, hold_duration_seconds, max_units)
                    VALUES (?, ?, 1000, 2000, 'EUR', 3600, 24)""").params(resource, resource).update();
            int count = rate == 0 ? FLAT_OUT : (int) (rate * PACED_RUN.toSeconds());
            for (int i = 0; i < 50; i++) {
                reserve(request(resource, units), before);
            }
            double[] latencies = new double[count];
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            long start = System.nanoTime();
            long interval = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / rate;
            List<Future<?>> done = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                long due = start + i * interval;
                if (rate > 0) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                BookingRequested request = request(resource, units);
                done.add(pool.submit(() -> {
                    reserve(request, before);
                    latencies[index] = (System.nanoTime() - (rate > 0 ? due : start)) / 1e6;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            long held = jdbc.sql("SELECT count(*) FROM " + (before ? "before_hold" : "hold") + " WHERE resource_id = ?")
                    .param(resource).query(Long.class).single();
            if (held != count + 50) {
                throw new IllegalStateException(resource + ": " + held + " holds for " + (count + 50) + " reservations");
            }
            if (rate == 0) {
                // Flat out, every request was due at the start: its latency is its queueing; report throughput.
                return new Result(count / seconds, Double.NaN, Double.NaN);
            }
            Arrays.sort(latencies);
            return new Result(count / seconds, latencies[count / 2], latencies[(int) (count * 0.99)]);
        }

        private void reserve(BookingRequested request, boolean before) {
            transactions.executeWithoutResult(status -> {
                if (before) {
                    reserveAsBefore(request);
                }
                else {
                    reservations.reserve(request);
                }
            });
        }

        /** ReservationService.reserve as it was before issue 11 (SlotCapacity.take and the hold), on its own counter table. */
        private void reserveAsBefore(BookingRequested request) {
            long price = jdbc.sql("SELECT unit_price_minor FROM resource WHERE id = ?").param(request.getResourceId())
                    .query(Long.class).single();
            jdbc.sql("INSERT INTO before_slot_usage (resource_id, slot_start, taken) VALUES (?, ?, 0) ON CONFLICT DO NOTHING")
                    .params(request.getResourceId(), Timestamp.from(request.getSlotStart())).update();
            int taken = jdbc.sql("""
                    UPDATE before_slot_usage u SET taken = u.taken + :units FROM resource r
                    WHERE r.id = u.resource_id AND u.resource_id = :resource AND u.slot_start = :start
                      AND u.taken + :units <= r.capacity_per_unit""")
                    .param("units", request.getQuantity()).param("resource", request.getResourceId())
                    .param("start", Timestamp.from(request.getSlotStart())).update();
            if (taken != 1) {
                throw new IllegalStateException("before: no capacity");
            }
            Instant expiresAt = Instant.now().plusSeconds(3600);
            jdbc.sql("""
                    INSERT INTO before_hold (booking_id, resource_id, slot_start, slot_end, quantity, status, total_minor, currency, expires_at)
                    VALUES (?, ?, ?, ?, ?, 'HELD', ?, 'EUR', ?)""")
                    .params(request.getBookingId(), request.getResourceId(), Timestamp.from(request.getSlotStart()),
                            Timestamp.from(request.getSlotEnd()), request.getQuantity(), price, Timestamp.from(expiresAt))
                    .update();
            outbox.append(request.getBookingId().toString(), new InventoryReserved(metadata.next(), request.getBookingId(),
                    request.getResourceId(), request.getSlotStart(), request.getSlotEnd(), request.getQuantity(),
                    List.of(new LineItem(LineItemKind.RESOURCE, request.getResourceId(), "bench", 1, price, price, 1, null)), price,
                    "EUR", expiresAt));
        }

        /** A range of {@code units} hours starting at a random hour of 2031. */
        private static BookingRequested request(String resource, int units) {
            Instant start = FROM.plus(Duration.ofHours(ThreadLocalRandom.current().nextInt(0, 24 * 360)));
            return new BookingRequested(new EventMetadata(UUID.randomUUID(), Instant.now(), "bench", null, "benchmark"),
                    UUID.randomUUID(), "bench@example.com", "Bench", resource, start, start.plus(Duration.ofHours(units)), 1,
                    List.of(), null);
        }
    }

    private record Result(double perSecond, double p50, double p99) {

        String latencies() {
            return Double.isNaN(p50) ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", p50, p99);
        }
    }
}
