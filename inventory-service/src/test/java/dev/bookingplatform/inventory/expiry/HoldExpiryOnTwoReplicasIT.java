package dev.bookingplatform.inventory.expiry;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.inventory.InventoryServiceApplication;
import dev.bookingplatform.inventory.reservation.ReservationService;
import dev.bookingplatform.testsupport.AtTheSameMoment;
import dev.bookingplatform.testsupport.MovableClock;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.spring.AnotherReplica;
import dev.bookingplatform.testsupport.spring.MovableClockConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of inventory-service (two application contexts on one database: two pools, two schedulers) run the
 * hold expiry job at the same moment, round after round, in batches of three so their transactions interleave. Every
 * expired hold is released by exactly one of them: one {@code InventoryHoldExpired} each, every unit given back once
 * (a unit given back twice would leave a negative count), and both replicas did part of the work. Reproduce a
 * failure with {@code -Dreplicas.seed=<seed>}.
 */
@SpringBootTest(properties = { "spring.config.name=inventory-service", "bookingplatform.inventory.expiry-interval=1h",
        "bookingplatform.inventory.expiry-batch-size=3" })
@RealInfrastructure
@Import(MovableClockConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class HoldExpiryOnTwoReplicasIT {

    private static final int ROUNDS = 8;

    @Autowired
    ApplicationContext context;

    @Autowired
    HoldExpiryJob job;

    @Autowired
    ReservationService reservations;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MovableClock clock;

    private AnotherReplica second;

    @BeforeAll
    void startTheSecondReplica() {
        second = AnotherReplica.of(context, InventoryServiceApplication.class);
    }

    @AfterAll
    void stopTheSecondReplica() {
        second.close();
    }

    @Test
    void twoReplicasReleasingAtTheSameMomentReleaseEachHoldOnce() throws Exception {
        long seed = Long.getLong("replicas.seed", System.nanoTime());
        System.out.println("HoldExpiryOnTwoReplicasIT seed: -Dreplicas.seed=" + seed);
        Random random = new Random(seed);
        jdbc.sql("""
                INSERT INTO resource (id, name, capacity_per_unit, unit_price_minor, currency, hold_duration_seconds, max_units)
                VALUES ('twin-court', 'Twin court', 3, 100, 'EUR', 2400, 3)""").update();
        HoldExpiryJob other = second.bean(HoldExpiryJob.class);
        Instant firstSlot = clock.instant().plus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        int byFirst = 0;
        int bySecond = 0;
        int holds = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int count = 20 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                // Ranges of 1 to 3 hours, overlapping their neighbours; the stock (3 a unit) decides who gets a hold.
                Instant start = firstSlot.plus(round * 200L + i * 2L, ChronoUnit.HOURS);
                BookingRequested request = request(start, start.plus(1 + random.nextInt(3), ChronoUnit.HOURS), 1 + random.nextInt(3));
                transactions.executeWithoutResult(tx -> reservations.reserve(request));
            }
            int held = heldHolds();
            holds += held;
            clock.advance(Duration.ofSeconds(2400).plusMinutes(4));
            List<Integer> released = AtTheSameMoment.run(job::releaseExpiredHolds, other::releaseExpiredHolds,
                    Duration.ofMillis(2), random);
            int releasedByFirst = released.get(0);
            int releasedBySecond = released.get(1);
            String state = "round %d (seed %d): %d holds, released %d + %d".formatted(round, seed, held, releasedByFirst,
                    releasedBySecond);
            assertThat(releasedByFirst + releasedBySecond).as(state).isEqualTo(held);
            assertThat(heldHolds()).as(state).isZero();
            byFirst += releasedByFirst;
            bySecond += releasedBySecond;
        }
        System.out.printf("HoldExpiryOnTwoReplicasIT: %d holds released, %d by the first replica, %d by the second%n", holds,
                byFirst, bySecond);
        assertThat(jdbc.sql("""
                SELECT count(*) FROM hold h
                WHERE (SELECT count(*) FROM outbox_event e WHERE e.aggregate_id = h.booking_id::text
                       AND e.event_type = 'InventoryHoldExpired') <> 1""").query(Long.class).single())
                .as("holds without exactly one InventoryHoldExpired").isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM hold WHERE status = 'RELEASED'").query(Long.class).single()).isEqualTo(holds);
        assertThat(jdbc.sql("SELECT coalesce(sum(held), 0) FROM unit_stock WHERE resource_id = 'twin-court'").query(Long.class).single())
                .as("every unit given back exactly once").isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM unit_stock WHERE held < 0").query(Long.class).single()).isZero();
        assertThat(byFirst).as("the first replica released some").isPositive();
        assertThat(bySecond).as("the second replica released some at the same time").isPositive();
    }

    private int heldHolds() {
        return jdbc.sql("SELECT count(*) FROM hold WHERE status = 'HELD'").query(Integer.class).single();
    }

    private static BookingRequested request(Instant start, Instant end, int quantity) {
        return new BookingRequested(new EventMetadata(UUID.randomUUID(), Instant.now(), "replicas", null, "test"), UUID.randomUUID(),
                "x@example.com", "X", "twin-court", start, end, quantity, List.of(), null);
    }
}
