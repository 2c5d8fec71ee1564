package dev.bookingplatform.booking.saga;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static dev.bookingplatform.booking.saga.BookingStatus.CANCELLATION_REQUESTED;
import static dev.bookingplatform.booking.saga.BookingStatus.CONFIRMED;
import static dev.bookingplatform.booking.saga.BookingStatus.CONFIRMING;
import static dev.bookingplatform.booking.saga.BookingStatus.REFUND_FAILED;
import static org.assertj.core.api.Assertions.assertThat;

/** The saga's promises, read off its one table: each is a property of every row, not of a method. */
class SagaTableTest {

    /** States in which the customer's money is with us. */
    private static final Set<BookingStatus> PAID = EnumSet.of(CONFIRMING, CONFIRMED, CANCELLATION_REQUESTED, REFUND_FAILED);

    @Test
    void aFinalStateNeverChanges() {
        every((from, trigger, rule) -> {
            if (from.isFinal()) {
                assertThat(rule.next()).as("%s on %s", from, trigger).isEqualTo(from);
            }
        });
        assertThat(EnumSet.allOf(BookingStatus.class).stream().filter(BookingStatus::isFinal))
                .containsExactlyInAnyOrder(BookingStatus.REJECTED, BookingStatus.EXPIRED, BookingStatus.CANCELLED);
    }

    @Test
    void onlyInventorysConfirmationConfirms() {
        every((from, trigger, rule) -> {
            if (rule.next() == CONFIRMED && from != CONFIRMED) {
                assertThat(from).isEqualTo(CONFIRMING);
                assertThat(trigger).isEqualTo(SagaTrigger.HOLD_CONFIRMED);
                assertThat(rule.effects()).contains(SagaEffect.ANNOUNCE_CONFIRMED);
            }
        });
        assertThat(SagaTable.rule(CONFIRMING, SagaTrigger.HOLD_EXPIRED)).as("inventory decides, not a stale expiry").isEmpty();
    }

    @Test
    void paidMoneyLeavesOnlyThroughARefund() {
        every((from, trigger, rule) -> {
            if (PAID.contains(from) && rule.next().isFinal()) {
                assertThat(trigger).as("%s -> %s", from, rule.next()).isEqualTo(SagaTrigger.PAYMENT_REFUNDED);
            }
        });
    }

    @Test
    void aPaymentIsNeverDropped() {
        for (BookingStatus from : BookingStatus.values()) {
            var rule = SagaTable.rule(from, SagaTrigger.PAYMENT_SUCCEEDED);
            if (rule.isEmpty()) {
                // PENDING: no session exists before inventory reserved, so nothing can be paid yet.
                Set<BookingStatus> alreadyPaidOrUnpayable = EnumSet.copyOf(PAID);
                alreadyPaidOrUnpayable.add(BookingStatus.PENDING);
                assertThat(alreadyPaidOrUnpayable).as("a payment refused in %s must be one already recorded", from).contains(from);
                continue;
            }
            assertThat(rule.get().effects()).as("payment in %s", from).contains(SagaEffect.RECORD_PAYMENT);
            assertThat(rule.get().effects().contains(SagaEffect.REQUEST_HOLD_CONFIRMATION)
                    || rule.get().effects().contains(SagaEffect.REQUEST_REFUND)).as("payment in %s", from).isTrue();
        }
    }

    @Test
    void aRefusedRefundWaitsForOpsOrALaterOutcome() {
        assertThat(SagaTable.rows().get(REFUND_FAILED)).allSatisfy((trigger, rule) -> {
            if (rule.next() != REFUND_FAILED) {
                assertThat(trigger).isIn(SagaTrigger.OPS_RETRY_REFUND, SagaTrigger.PAYMENT_REFUNDED);
            }
        });
        assertThat(SagaTable.rule(CANCELLATION_REQUESTED, SagaTrigger.REFUND_REFUSED).orElseThrow().next()).isEqualTo(REFUND_FAILED);
    }

    @Test
    void moneyOwedOnAnEndedBookingCanStillBeRefundedByOps() {
        for (BookingStatus ended : EnumSet.of(BookingStatus.REJECTED, BookingStatus.EXPIRED, BookingStatus.CANCELLED)) {
            SagaTable.Rule retry = SagaTable.rule(ended, SagaTrigger.OPS_RETRY_REFUND).orElseThrow();
            assertThat(retry.next()).isEqualTo(ended);
            assertThat(retry.effects()).containsExactly(SagaEffect.REQUEST_REFUND);
        }
    }

    @Test
    void nothingMovesBackToAnEarlierStep() {
        every((from, trigger, rule) -> {
            if (rule.next() != from) {
                assertThat(rule.next()).as("%s on %s", from, trigger).isNotEqualTo(BookingStatus.PENDING);
            }
            if (rule.next() == BookingStatus.AWAITING_PAYMENT || rule.next() == CONFIRMING) {
                assertThat(from).as("%s on %s", from, trigger).isIn(BookingStatus.PENDING, BookingStatus.AWAITING_PAYMENT, CONFIRMING);
            }
        });
    }

    private interface RowCheck {
        void check(BookingStatus from, SagaTrigger trigger, SagaTable.Rule rule);
    }

    private static void every(RowCheck check) {
        for (Map.Entry<BookingStatus, Map<SagaTrigger, SagaTable.Rule>> state : SagaTable.rows().entrySet()) {
            state.getValue().forEach((trigger, rule) -> check.check(state.getKey(), trigger, rule));
        }
    }
}
