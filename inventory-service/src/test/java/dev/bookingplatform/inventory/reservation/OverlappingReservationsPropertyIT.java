package dev.bookingplatform.inventory.reservation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.inventory.TestTokens;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.web.security.Scopes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random overlapping bookings from many threads at once, through the real reservation code on real
 * PostgreSQL, mixed with releases, runs of the expiry job and capacity edits through the API: afterwards no unit is held beyond its capacity,
 * every accepted booking holds exactly the units its range covers, and no attempt failed (a deadlock
 * would). The oracle cuts ranges into units itself, on the UTC grid (both zones' offsets are whole
 * units), so it trusts neither the unit code nor what the reservation code recorded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "spring.config.name=inventory-service", "spring.datasource.hikari.maximum-pool-size=40",
        "bookingplatform.inventory.expiry-interval=1h" })
@RealInfrastructure
@Timeout(600)
class OverlappingReservationsPropertyIT {

    private static final String CATALOG = TestTokens.bearer("catalog-editor", Scopes.CATALOG_WRITE);

    /** 1 in ./mvnw verify, 10 in the chaos profile: 60,000 attempts from 32 threads. */
    private static final int SCALE = Integer.getInteger("bookingplatform.chaos.scale", 1);

    private static final int THREADS = SCALE > 1 ? 32 : 16;

    private static final int ATTEMPTS = 6_000 * SCALE;

    /** A day around Berlin's change to summer time (2031-03-30 01:00Z). */
    private static final Instant WINDOW = Instant.parse("2031-03-29T14:00:00Z");

    private static final int WINDOW_HOURS = 24;

    /** Capacity 1, hours in Berlin, 1 to 4 per booking; holds last an hour. */
    private static final TestResource COURT = new TestResource("prop-court", 1, 60, "Europe/Berlin", 4, 3600);

    /** Capacity 3, half hours in Kolkata (UTC+05:30), 1 to 6 per booking; holds expire within a second. */
    private static final TestResource HALL = new TestResource("prop-hall", 3, 30, "Asia/Kolkata", 6, 1);

    @Autowired
    ReservationService reservations;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void overlappingRangesNeverHoldAUnitBeyondCapacity() throws Exception {
        long seed = Long.getLong("property.seed", System.nanoTime());
        System.out.println("OverlappingReservationsPropertyIT seed=" + seed + " (replay with -Dproperty.seed=" + seed + ")");
        for (TestResource resource : List.of(COURT, HALL)) {
            jdbc.sql("""
                    INSERT INTO resource (id, name, capacity_per_unit, unit_price_minor, currency, hold_duration_seconds,
                           time_zone, unit_kind, unit_minutes, unit_start_minute, min_units, max_units)
                    VALUES (?, ?, ?, 100, 'EUR', ?, ?, 'MINUTES', ?, 0, 1, ?)""")
                    .params(resource.id, resource.id, resource.capacity, resource.holdSeconds, resource.zone, resource.unitMinutes,
                            resource.maxUnits)
                    .update();
        }

        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger releases = new AtomicInteger();
        AtomicInteger expired = new AtomicInteger();
        Map<Integer, AtomicInteger> edits = new ConcurrentHashMap<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(seed + t);
            pool.execute(() -> {
                List<UUID> mine = new ArrayList<>();
                awaitQuietly(start);
                while (attempts.incrementAndGet() <= ATTEMPTS) {
                    try {
                        if (!mine.isEmpty() && random.nextInt(5) == 0) {
                            UUID victim = mine.remove(random.nextInt(mine.size()));
                            transactions.executeWithoutResult(status -> reservations.release(victim, "property test"));
                            releases.incrementAndGet();
                        }
                        if (random.nextInt(100) == 0) {
                            edits.computeIfAbsent(editHallCapacity(1 + random.nextInt(3)), status -> new AtomicInteger()).incrementAndGet();
                        }
                        if (random.nextInt(25) == 0) {
                            Integer batch = transactions.execute(status -> reservations.expireDue(Instant.now(), 20));
                            expired.addAndGet(batch == null ? 0 : batch);
                        }
                        BookingRequested request = randomRequest(random, random.nextBoolean() ? COURT : HALL);
                        transactions.executeWithoutResult(status -> reservations.reserve(request));
                        mine.add(request.getBookingId());
                    }
                    catch (RuntimeException failure) {
                        failures.add(failure);
                    }
                }
            });
        }
        long began = System.nanoTime();
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(90L * SCALE, TimeUnit.SECONDS)).as("all attempts done in time").isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        long accepted = count("SELECT count(*) FROM hold WHERE resource_id LIKE 'prop-%'");
        System.out.printf("OverlappingReservationsPropertyIT: %d attempts from %d threads in %d ms: %d accepted, %d rejected,"
                + " %d released, %d expired, capacity edits by answer %s (seed %d)%n", ATTEMPTS, THREADS, took.toMillis(), accepted,
                count("SELECT count(*) FROM outbox_event WHERE event_type = 'InventoryRejected'"), releases.get(), expired.get(), edits,
                seed);

        assertThat(failures).as("no attempt may fail with an exception, a deadlock included (seed %d)", seed).isEmpty();
        assertThat(edits.keySet()).as("capacity edits are applied (200), stale (412) or refused naming a unit (409), never a 500")
                .isSubsetOf(200, 409, 412);
        assertThat(accepted).as("some bookings were accepted").isGreaterThan(ATTEMPTS / 50);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type IN ('InventoryReserved', 'InventoryRejected')"))
                .as("every attempt was answered once").isEqualTo(ATTEMPTS);
        int hallCapacity = jdbc.sql("SELECT capacity_per_unit FROM resource WHERE id = ?").param(HALL.id).query(Integer.class).single();
        for (TestResource resource : List.of(COURT, HALL.withCapacity(hallCapacity))) {
            assertNoUnitBeyondCapacity(resource, seed);
            assertEveryLiveHoldHoldsExactlyItsUnits(resource, seed);
        }
        assertThat(count("""
                SELECT count(*) FROM unit_stock s
                WHERE s.held <> (SELECT coalesce(sum(quantity), 0) FROM hold_unit u
                                 WHERE u.resource_id = s.resource_id AND u.unit_start = s.unit_start)"""))
                .as("every unit's counter is the sum of its hold rows").isZero();
        assertThat(count("SELECT count(*) FROM hold_unit u JOIN hold h USING (booking_id) WHERE h.status = 'RELEASED'"))
                .as("released holds hold nothing").isZero();
    }

    /** The oracle: for each unit of the window, the quantity of live holds whose range overlaps it. */
    private void assertNoUnitBeyondCapacity(TestResource resource, long seed) {
        for (Instant unit = WINDOW.minus(Duration.ofHours(1)); unit.isBefore(WINDOW.plus(Duration.ofHours(WINDOW_HOURS + 4)));
                unit = unit.plus(Duration.ofMinutes(resource.unitMinutes))) {
            long held = jdbc.sql("""
                    SELECT coalesce(sum(quantity), 0) FROM hold
                    WHERE resource_id = ? AND status IN ('HELD', 'CONFIRMED') AND slot_start < ? AND slot_end > ?""")
                    .params(resource.id, ts(unit.plus(Duration.ofMinutes(resource.unitMinutes))), ts(unit))
                    .query(Long.class).single();
            assertThat(held).as("%s, the unit from %s (seed %d)", resource.id, unit, seed).isLessThanOrEqualTo(resource.capacity);
        }
    }

    private void assertEveryLiveHoldHoldsExactlyItsUnits(TestResource resource, long seed) {
        jdbc.sql("SELECT booking_id, slot_start, slot_end, quantity, status FROM hold WHERE resource_id = ?").param(resource.id)
                .query((rs, row) -> {
                    UUID booking = rs.getObject("booking_id", UUID.class);
                    Instant from = rs.getTimestamp("slot_start").toInstant();
                    Instant to = rs.getTimestamp("slot_end").toInstant();
                    List<Instant> expected = new ArrayList<>();
                    for (Instant unit = from; unit.isBefore(to); unit = unit.plus(Duration.ofMinutes(resource.unitMinutes))) {
                        expected.add(unit);
                    }
                    assertThat(resource.onGrid(from) && resource.onGrid(to)).as("%s accepted %s to %s (seed %d)", resource.id,
                            from, to, seed).isTrue();
                    assertThat(expected.size()).isBetween(1, resource.maxUnits);
                    List<Instant> heldUnits = jdbc.sql("SELECT unit_start FROM hold_unit WHERE booking_id = ? AND quantity = ? ORDER BY unit_start")
                            .params(booking, rs.getInt("quantity")).query((units, i) -> units.getTimestamp(1).toInstant()).list();
                    assertThat(heldUnits).as("units of %s, %s to %s (seed %d)", booking, from, to, seed)
                            .isEqualTo("RELEASED".equals(rs.getString("status")) ? List.of() : expected);
                    return booking;
                })
                .list();
    }

    /** One to several units in the window, aligned to half hours (so misaligned for the hourly court); a fifth off by seconds. */
    private static BookingRequested randomRequest(Random random, TestResource resource) {
        Instant start = WINDOW.plus(Duration.ofMinutes(30L * random.nextInt(WINDOW_HOURS * 2)));
        Instant end = start.plus(Duration.ofMinutes(30L * (1 + random.nextInt(resource.maxUnits * resource.unitMinutes / 30 + 1))));
        if (random.nextInt(5) == 0) {
            start = start.plusSeconds(random.nextInt(1, 1800));
        }
        if (random.nextInt(10) == 0) {
            end = end.plusSeconds(random.nextInt(1, 1800));
        }
        return new BookingRequested(new EventMetadata(UUID.randomUUID(), Instant.now(), "property", null, "test"),
                UUID.randomUUID(), "p@example.com", "P", resource.id, start, end, 1 + random.nextInt(3), List.of(), null);
    }

    /**
     * Sets the hall's capacity through the real API (read, then PUT with If-Match), while bookings race:
     * a cut below what some unit holds must be a 409, and the lock order must hold against takes and releases.
     */
    private int editHallCapacity(int capacity) {
        try {
            String url = "http://localhost:" + port + "/api/resources/" + HALL.id;
            HttpResponse<String> current = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", CATALOG).GET().build(), HttpResponse.BodyHandlers.ofString());
            String version = current.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> edited = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", CATALOG).header("If-Match", version)
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("""
                            {"name":"%s","capacityPerUnit":%d,"unitPriceMinor":100,"currency":"EUR"}"""
                            .formatted(HALL.id, capacity))).build(), HttpResponse.BodyHandlers.ofString());
            if (edited.statusCode() >= 500) {
                throw new IllegalStateException("capacity edit failed: " + edited.body());
            }
            return edited.statusCode();
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record TestResource(String id, int capacity, int unitMinutes, String zone, int maxUnits, int holdSeconds) {

        TestResource withCapacity(int newCapacity) {
            return new TestResource(id, newCapacity, unitMinutes, zone, maxUnits, holdSeconds);
        }

        boolean onGrid(Instant instant) {
            return instant.getEpochSecond() % (unitMinutes * 60L) == 0 && instant.getNano() == 0;
        }
    }
}
