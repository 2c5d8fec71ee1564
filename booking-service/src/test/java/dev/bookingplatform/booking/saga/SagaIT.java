package dev.bookingplatform.booking.saga;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.booking.BookingProperties;
import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.inventory.HoldConfirmed;
import dev.bookingplatform.events.inventory.HoldLost;
import dev.bookingplatform.events.inventory.InventoryHoldExpired;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.payment.PaymentDeclined;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentFailureReason;
import dev.bookingplatform.events.payment.PaymentRefundFailed;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSucceeded;
import dev.bookingplatform.testsupport.MovableClock;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.spring.MovableClockConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga's table on a real database: each step's state, audit entry and outbox events, including the
 * late and racing events issue 12 found mishandled.
 */
@SpringBootTest(properties = { "spring.config.name=booking-service", "bookingplatform.booking.deadline-interval=1h" })
@RealInfrastructure
@Import(MovableClockConfiguration.class)
@Timeout(120)
class SagaIT {

    @Autowired
    BookingSaga saga;

    @Autowired
    BookingRepository bookings;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    MovableClock clock;

    @Autowired
    SagaDeadlineJob deadlines;

    @Autowired
    BookingProperties properties;

    @Test
    void aPaidBookingIsConfirmedOnlyByInventoryAndAStaleHoldExpiryIsRefused() {
        UUID id = awaitingPayment();
        step(id, SagaTrigger.PAYMENT_SUCCEEDED, paid(id));
        assertThat(status(id)).isEqualTo(BookingStatus.CONFIRMING);
        assertThat(outbox(id)).containsExactly("PaymentRequested", "BookingPaid");

        step(id, SagaTrigger.HOLD_EXPIRED, new InventoryHoldExpired(metadata(), id, "room", Instant.now()));
        assertThat(status(id)).isEqualTo(BookingStatus.CONFIRMING);
        assertThat(meters.get("booking.saga.transitions.refused").tag("from", "CONFIRMING").tag("trigger", "HOLD_EXPIRED")
                .counter().count()).isGreaterThanOrEqualTo(1);

        step(id, SagaTrigger.HOLD_CONFIRMED, new HoldConfirmed(metadata(), id, "room", false));
        assertThat(status(id)).isEqualTo(BookingStatus.CONFIRMED);
        assertThat(outbox(id)).containsExactly("PaymentRequested", "BookingPaid", "BookingConfirmed");
        assertThat(audit(id)).containsExactly("PENDING>AWAITING_PAYMENT:INVENTORY_RESERVED:true",
                "AWAITING_PAYMENT>CONFIRMING:PAYMENT_SUCCEEDED:true", "CONFIRMING>CONFIRMING:HOLD_EXPIRED:false",
                "CONFIRMING>CONFIRMED:HOLD_CONFIRMED:true");
    }

    @Test
    void aLostHoldIsRefundedInFullAndEndsCancelled() {
        double outcomesBefore = count("booking.saga.outcomes");
        double afterSettlementBefore = count("booking.saga.after.settlement");
        UUID id = awaitingPayment();
        step(id, SagaTrigger.PAYMENT_SUCCEEDED, paid(id));
        step(id, SagaTrigger.HOLD_LOST, new HoldLost(metadata(), id, "room", "the room was sold after the hold ran out"));
        assertThat(status(id)).isEqualTo(BookingStatus.CANCELLATION_REQUESTED);
        assertThat(refundRequested(id)).isEqualTo(1_000L);

        step(id, SagaTrigger.PAYMENT_REFUNDED, refunded(id));
        Booking booking = bookings.find(id).orElseThrow();
        assertThat(booking.status()).isEqualTo(BookingStatus.CANCELLED);
        assertThat(booking.reasonCode()).isEqualTo("HOLD_LOST");
        assertThat(booking.refundId()).isEqualTo("re_1");
        assertThat(outbox(id)).endsWith("BookingPaid", "BookingCancellationRequested", "BookingCancelled");
        assertThat(count("booking.saga.outcomes") - outcomesBefore).as("never confirmed: CANCELLED is where it first came to rest")
                .isEqualTo(1);
        assertThat(count("booking.saga.after.settlement") - afterSettlementBefore).isZero();
    }

    /** The CANCELLED count of a saga counter (tests in this class run one after another). */
    private double count(String counter) {
        io.micrometer.core.instrument.Counter found = meters.find(counter).tag("state", "CANCELLED").counter();
        return found == null ? 0 : found.count();
    }

    @Test
    void aPaymentOnAnExpiredBookingIsRefundedAndTheBookingStaysExpired() {
        UUID id = awaitingPayment();
        step(id, SagaTrigger.HOLD_EXPIRED, new InventoryHoldExpired(metadata(), id, "room", Instant.now()));
        assertThat(status(id)).isEqualTo(BookingStatus.EXPIRED);

        step(id, SagaTrigger.PAYMENT_SUCCEEDED, paid(id));
        assertThat(status(id)).isEqualTo(BookingStatus.EXPIRED);
        assertThat(refundRequested(id)).isEqualTo(1_000L);
        assertThat(outbox(id)).endsWith("BookingCancelled", "BookingCancellationRequested").doesNotContain("BookingPaid");

        step(id, SagaTrigger.REFUND_REFUSED, new PaymentRefundFailed(metadata(), id, null, "charge_disputed"));
        Booking booking = bookings.find(id).orElseThrow();
        assertThat(booking.status()).isEqualTo(BookingStatus.EXPIRED);
        assertThat(booking.settlement().refundFailure()).isEqualTo("charge_disputed");
        assertThat(bookings.needingOps(1_000)).extracting(Booking::id).contains(id);

        step(id, SagaTrigger.OPS_RETRY_REFUND, new SagaCauses.OpsRequest("ops", "card reissued"));
        assertThat(status(id)).as("still ended: only the money moves").isEqualTo(BookingStatus.EXPIRED);
        assertThat(outbox(id)).endsWith("BookingCancellationRequested", "BookingCancellationRequested");
        assertThat(jdbc.sql("SELECT refund_attempt FROM booking WHERE id = ?").param(id).query(Integer.class).single()).isEqualTo(2);
        assertThat(bookings.find(id).orElseThrow().settlement().refundFailure()).as("the new attempt clears the old failure").isNull();
    }

    @Test
    void opsCannotRefundAnEndedBookingWhoseRefundNeverFailed() {
        UUID id = awaitingPayment();
        step(id, SagaTrigger.HOLD_EXPIRED, new InventoryHoldExpired(metadata(), id, "room", Instant.now()));
        step(id, SagaTrigger.PAYMENT_SUCCEEDED, paid(id));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> step(id, SagaTrigger.OPS_RETRY_REFUND,
                new SagaCauses.OpsRequest("ops", "again"))).isInstanceOf(IllegalStateException.class);
        assertThat(outbox(id)).containsOnlyOnce("BookingCancellationRequested");
    }

    @Test
    void aDeclineIsRecordedAndTheBookingKeepsWaitingForAnotherCard() {
        UUID id = awaitingPayment();
        step(id, SagaTrigger.PAYMENT_DECLINED, new PaymentDeclined(metadata(), id, "cs_1", "Your card was declined.", "generic_decline"));
        step(id, SagaTrigger.PAYMENT_DECLINED, new PaymentDeclined(metadata(), id, "cs_1", "Insufficient funds.", "insufficient_funds"));
        Booking booking = bookings.find(id).orElseThrow();
        assertThat(booking.status()).isEqualTo(BookingStatus.AWAITING_PAYMENT);
        assertThat(booking.settlement().declinedAttempts()).isEqualTo(2);
        assertThat(booking.settlement().lastDeclineReason()).isEqualTo("Insufficient funds.");

        step(id, SagaTrigger.PAYMENT_SUCCEEDED, paid(id));
        assertThat(status(id)).isEqualTo(BookingStatus.CONFIRMING);
    }

    @Test
    void anAsyncPaymentFailureEndsTheBooking() {
        UUID id = awaitingPayment();
        step(id, SagaTrigger.ASYNC_PAYMENT_FAILED, new PaymentFailed(metadata(), id, "cs_1", PaymentFailureReason.ASYNC_PAYMENT_FAILED,
                "The bank transfer failed"));
        assertThat(status(id)).isEqualTo(BookingStatus.CANCELLED);
        assertThat(outbox(id)).endsWith("BookingCancelled");
    }

    @Test
    void aRefusedRefundWaitsForOpsWhoRetryWithANewAttempt() {
        UUID id = awaitingPayment();
        step(id, SagaTrigger.PAYMENT_SUCCEEDED, paid(id));
        step(id, SagaTrigger.HOLD_CONFIRMED, new HoldConfirmed(metadata(), id, "room", false));
        step(id, SagaTrigger.CUSTOMER_CANCEL, new SagaCauses.CustomerCancellation(1_000L, "Change of plans"));
        step(id, SagaTrigger.REFUND_REFUSED, new PaymentRefundFailed(metadata(), id, null, "charge_disputed"));
        assertThat(status(id)).isEqualTo(BookingStatus.REFUND_FAILED);

        java.util.Optional<SagaStep> stale = transactions.execute(tx -> saga.handle(id, SagaTrigger.HOLD_EXPIRED,
                new InventoryHoldExpired(metadata(), id, "room", Instant.now())));
        assertThat(stale).isEmpty();
        step(id, SagaTrigger.OPS_RETRY_REFUND, new SagaCauses.OpsRequest("ops", "customer's bank fixed"));
        assertThat(status(id)).isEqualTo(BookingStatus.CANCELLATION_REQUESTED);
        assertThat(jdbc.sql("SELECT refund_attempt FROM booking WHERE id = ?").param(id).query(Integer.class).single()).isEqualTo(2);
        step(id, SagaTrigger.PAYMENT_REFUNDED, refunded(id));
        assertThat(status(id)).isEqualTo(BookingStatus.CANCELLED);
    }

    @Test
    void aBookingInventoryNeverAnswersIsRejectedAtItsDeadlineOnce() {
        UUID id = UUID.randomUUID();
        insertPending(id);
        deadlines.enforceDeadlines();
        assertThat(status(id)).isEqualTo(BookingStatus.PENDING);

        clock.advance(properties.pendingDeadline().plusSeconds(1));
        deadlines.enforceDeadlines();
        deadlines.enforceDeadlines();
        Booking booking = bookings.find(id).orElseThrow();
        assertThat(booking.status()).isEqualTo(BookingStatus.REJECTED);
        assertThat(booking.reasonCode()).isEqualTo("NO_INVENTORY_ANSWER");
        assertThat(outbox(id)).containsExactly("BookingRejected");
    }

    @Test
    void twoReplicasRunningTheDeadlineJobAtOnceRejectEachOverdueBookingOnce() throws Exception {
        List<UUID> overdue = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            UUID id = UUID.randomUUID();
            insertPending(id);
            overdue.add(id);
        }
        clock.advance(properties.pendingDeadline().plusSeconds(1));
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService replicas = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (int replica = 0; replica < 2; replica++) {
                runs.add(replicas.submit(() -> {
                    together.await();
                    deadlines.enforceDeadlines();
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> run : runs) {
                run.get();
            }
        }
        finally {
            replicas.shutdownNow();
        }
        for (UUID id : overdue) {
            assertThat(status(id)).isEqualTo(BookingStatus.REJECTED);
            assertThat(outbox(id)).containsExactly("BookingRejected");
            assertThat(audit(id)).containsExactly("PENDING>REJECTED:NO_INVENTORY_ANSWER:true");
        }
    }

    @Test
    void aPaidBookingStuckConfirmingIsFlaggedForOpsOnce() {
        UUID id = awaitingPayment();
        step(id, SagaTrigger.PAYMENT_SUCCEEDED, paid(id));
        clock.advance(properties.confirmingDeadline().plusSeconds(1));
        deadlines.enforceDeadlines();
        deadlines.enforceDeadlines();
        Booking booking = bookings.find(id).orElseThrow();
        assertThat(booking.status()).isEqualTo(BookingStatus.CONFIRMING);
        assertThat(booking.settlement().flaggedAt()).isNotNull();
        assertThat(audit(id)).filteredOn(entry -> entry.contains("STEP_OVERDUE")).hasSize(1);
    }

    private UUID awaitingPayment() {
        UUID id = UUID.randomUUID();
        insertPending(id);
        step(id, SagaTrigger.INVENTORY_RESERVED, new InventoryReserved(metadata(), id, "room", Instant.parse("2030-01-01T15:00:00Z"),
                Instant.parse("2030-01-02T11:00:00Z"), 1, List.<LineItem>of(), 1_000L, "EUR", Instant.now().plusSeconds(1_800)));
        return id;
    }

    private void insertPending(UUID id) {
        transactions.executeWithoutResult(tx -> {
            Booking booking = Booking.requested(id, "x@example.com", "X", null, "room", Instant.parse("2030-01-01T15:00:00Z"),
                    Instant.parse("2030-01-02T11:00:00Z"), 1, List.of(), clock.instant());
            bookings.insert(booking);
        });
    }

    private void step(UUID id, SagaTrigger trigger, Object cause) {
        transactions.executeWithoutResult(tx -> saga.handle(id, trigger, cause));
    }

    private BookingStatus status(UUID id) {
        return bookings.find(id).orElseThrow().status();
    }

    private Long refundRequested(UUID id) {
        return bookings.find(id).orElseThrow().settlement().refundAmountMinor();
    }

    private List<String> outbox(UUID id) {
        return jdbc.sql("SELECT event_type FROM outbox_event WHERE aggregate_id = ? ORDER BY xmin::text::bigint, occurred_at")
                .param(id.toString()).query(String.class).list();
    }

    private List<String> audit(UUID id) {
        return jdbc.sql("SELECT from_status || '>' || to_status || ':' || trigger || ':' || accepted FROM booking_transition "
                + "WHERE booking_id = ? ORDER BY id").param(id).query(String.class).list();
    }

    private static PaymentSucceeded paid(UUID id) {
        return new PaymentSucceeded(metadata(), id, "cs_1", "pi_1", 1_000L, "EUR");
    }

    private static PaymentRefunded refunded(UUID id) {
        return new PaymentRefunded(metadata(), id, "re_1", 1_000L, "EUR", "x@example.com", "X", "refunded");
    }

    private static EventMetadata metadata() {
        return new EventMetadata(UUID.randomUUID(), Instant.now(), "test", null, "test");
    }
}
