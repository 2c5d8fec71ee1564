package dev.bookingplatform.booking.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

import dev.bookingplatform.booking.BookingServiceApplication;
import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.inventory.HoldLost;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.payment.PaymentSucceeded;
import dev.bookingplatform.eventing.retention.RetentionPurge;
import dev.bookingplatform.testsupport.AtTheSameMoment;
import dev.bookingplatform.testsupport.MovableClock;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.spring.AnotherReplica;
import dev.bookingplatform.testsupport.spring.MovableClockConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of booking-service (two application contexts on one database) run booking-service's jobs at the same
 * moment, released together by a barrier, the second a random few hundred microseconds later: the saga's deadlines
 * and the retention purge. Each overdue booking is moved or flagged by exactly one of them, each ended booking's
 * personal data masked once and each old outbox row deleted once, and both replicas did part of the work.
 * Reproduce a failure with {@code -Dreplicas.seed=<seed>}.
 */
@SpringBootTest(properties = { "spring.config.name=booking-service", "bookingplatform.booking.deadline-interval=1h",
        "bookingplatform.eventing.retention.interval=1h", "bookingplatform.eventing.retention.batch-size=7" })
@RealInfrastructure
@Import(MovableClockConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class JobsOnTwoReplicasIT {

    private static final int ROUNDS = 5;

    /** The second replica's run starts up to this much after the first's. */
    private static final Duration SKEW = Duration.ofMillis(2);

    /** What the personal-data rule masks once it is old enough (BookingRetention). */
    private static final String ENDED_UNMASKED = """
            SELECT count(*) FROM booking
            WHERE status IN ('CONFIRMED', 'REJECTED', 'EXPIRED', 'CANCELLED') AND customer_email NOT LIKE 'erased+%'""";

    @Autowired
    ApplicationContext context;

    @Autowired
    SagaDeadlineJob deadlines;

    @Autowired
    RetentionPurge purge;

    @Autowired
    BookingSaga saga;

    @Autowired
    BookingRepository bookings;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MovableClock clock;

    private AnotherReplica second;

    private final long seed = Long.getLong("replicas.seed", System.nanoTime());

    private final Random random = new Random(seed);

    @BeforeAll
    void startTheSecondReplica() {
        System.out.println("JobsOnTwoReplicasIT seed: -Dreplicas.seed=" + seed);
        second = AnotherReplica.of(context, BookingServiceApplication.class);
    }

    @AfterAll
    void stopTheSecondReplica() {
        second.close();
    }

    @Test
    void twoReplicasEnforcingDeadlinesAtTheSameMomentMoveOrFlagEachBookingOnce() {
        SagaDeadlineJob other = second.bean(SagaDeadlineJob.class);
        List<UUID> pending = new ArrayList<>();
        List<UUID> confirming = new ArrayList<>();
        List<UUID> cancelling = new ArrayList<>();
        int[] done = new int[2];
        for (int round = 0; round < ROUNDS; round++) {
            int before = pending.size() + confirming.size() + cancelling.size();
            for (int i = 40 + random.nextInt(120); i > 0; i--) {
                pending.add(pending());
            }
            for (int i = 10 + random.nextInt(30); i > 0; i--) {
                confirming.add(confirming());
            }
            for (int i = 5 + random.nextInt(15); i > 0; i--) {
                cancelling.add(cancelling());
            }
            clock.advance(Duration.ofMinutes(31));
            List<Integer> counts = AtTheSameMoment.run(deadlines::enforceDeadlines, other::enforceDeadlines, SKEW, random);
            int due = pending.size() + confirming.size() + cancelling.size() - before;
            assertThat(counts.get(0) + counts.get(1))
                    .as("round %d (seed %d): %d due, moved or flagged %d + %d", round, seed, due, counts.get(0), counts.get(1))
                    .isEqualTo(due);
            done[0] += counts.get(0);
            done[1] += counts.get(1);
        }
        System.out.printf("JobsOnTwoReplicasIT: %d bookings past a deadline, %d handled by the first replica, %d by the second%n",
                done[0] + done[1], done[0], done[1]);
        assertThat(transitions(pending, "NO_INVENTORY_ANSWER")).as("PENDING rejected once each").containsOnly(1L);
        assertThat(outboxCounts(pending, "BookingRejected")).as("one BookingRejected each").containsOnly(1L);
        assertThat(transitions(confirming, "STEP_OVERDUE")).as("CONFIRMING flagged once each").containsOnly(1L);
        assertThat(transitions(cancelling, "STEP_OVERDUE")).as("CANCELLATION_REQUESTED flagged once each").containsOnly(1L);
        assertThat(jdbc.sql("SELECT count(*) FROM booking_transition WHERE NOT accepted").query(Long.class).single())
                .as("no replica acted on a booking the other had already moved").isZero();
        assertThat(done[0]).as("the first replica took part").isPositive();
        assertThat(done[1]).as("the second replica took part at the same time").isPositive();
    }

    @Test
    void twoReplicasPurgingAtTheSameMomentMaskAndDeleteEachRowOnce() {
        RetentionPurge other = second.bean(RetentionPurge.class);
        long masked = 0;
        long deleted = 0;
        long[] byReplica = new long[2];
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 20 + random.nextInt(60); i > 0; i--) {
                UUID id = pending();
                transactions.executeWithoutResult(tx -> saga.handle(id, SagaTrigger.NO_INVENTORY_ANSWER,
                        new SagaCauses.Deadline("test: ended")));
            }
            long toMask = jdbc.sql(ENDED_UNMASKED).query(Long.class).single();
            long toDelete = jdbc.sql("SELECT count(*) FROM outbox_event").query(Long.class).single();
            clock.advance(Duration.ofDays(91));
            List<Map<String, Integer>> runs = AtTheSameMoment.run(purge::run, other::run, SKEW, random);
            long maskedNow = runs.stream().mapToLong(run -> run.get("ended-bookings-personal-data")).sum();
            long deletedNow = runs.stream().mapToLong(run -> run.get("outbox")).sum();
            String state = "round %d (seed %d): runs %s".formatted(round, seed, runs);
            assertThat(maskedNow).as(state).isEqualTo(toMask);
            assertThat(deletedNow).as(state).isEqualTo(toDelete);
            masked += maskedNow;
            deleted += deletedNow;
            for (int replica = 0; replica < 2; replica++) {
                byReplica[replica] += runs.get(replica).values().stream().mapToInt(Integer::intValue).sum();
            }
        }
        System.out.printf("JobsOnTwoReplicasIT: %d bookings masked, %d outbox rows deleted; %d rows by the first replica, %d by the"
                + " second%n", masked, deleted, byReplica[0], byReplica[1]);
        assertThat(jdbc.sql(ENDED_UNMASKED).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM outbox_event").query(Long.class).single()).isZero();
        assertThat(byReplica[0]).as("the first replica took part").isPositive();
        assertThat(byReplica[1]).as("the second replica took part at the same time").isPositive();
    }

    private List<Long> transitions(List<UUID> ids, String trigger) {
        return ids.stream().map(id -> jdbc.sql("SELECT count(*) FROM booking_transition WHERE booking_id = ? AND trigger = ?")
                .params(id, trigger).query(Long.class).single()).toList();
    }

    private List<Long> outboxCounts(List<UUID> ids, String type) {
        return ids.stream().map(id -> jdbc.sql("SELECT count(*) FROM outbox_event WHERE aggregate_id = ? AND event_type = ?")
                .params(id.toString(), type).query(Long.class).single()).toList();
    }

    private UUID pending() {
        UUID id = UUID.randomUUID();
        transactions.executeWithoutResult(tx -> bookings.insert(Booking.requested(id, "x@example.com", "X", null, "room",
                Instant.parse("2030-01-01T15:00:00Z"), Instant.parse("2030-01-02T11:00:00Z"), 1, List.of(), clock.instant())));
        return id;
    }

    private UUID awaitingPayment() {
        UUID id = pending();
        step(id, SagaTrigger.INVENTORY_RESERVED, new InventoryReserved(metadata(), id, "room", Instant.parse("2030-01-01T15:00:00Z"),
                Instant.parse("2030-01-02T11:00:00Z"), 1, List.<LineItem>of(), 1_000L, "EUR", clock.instant().plusSeconds(1_800)));
        return id;
    }

    private UUID confirming() {
        UUID id = awaitingPayment();
        step(id, SagaTrigger.PAYMENT_SUCCEEDED, new PaymentSucceeded(metadata(), id, "cs_" + id, "pi_" + id, 1_000L, "EUR"));
        return id;
    }

    private UUID cancelling() {
        UUID id = confirming();
        step(id, SagaTrigger.HOLD_LOST, new HoldLost(metadata(), id, "room", "sold while the hold was away"));
        return id;
    }

    private void step(UUID id, SagaTrigger trigger, Object cause) {
        transactions.executeWithoutResult(tx -> saga.handle(id, trigger, cause));
    }

    private EventMetadata metadata() {
        return new EventMetadata(UUID.randomUUID(), clock.instant(), "replicas", null, "test");
    }
}
