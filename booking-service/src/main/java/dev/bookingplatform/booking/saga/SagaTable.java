package dev.bookingplatform.booking.saga;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.bookingplatform.booking.saga.BookingStatus.AWAITING_PAYMENT;
import static dev.bookingplatform.booking.saga.BookingStatus.CANCELLATION_REQUESTED;
import static dev.bookingplatform.booking.saga.BookingStatus.CANCELLED;
import static dev.bookingplatform.booking.saga.BookingStatus.CONFIRMED;
import static dev.bookingplatform.booking.saga.BookingStatus.CONFIRMING;
import static dev.bookingplatform.booking.saga.BookingStatus.EXPIRED;
import static dev.bookingplatform.booking.saga.BookingStatus.PENDING;
import static dev.bookingplatform.booking.saga.BookingStatus.REFUND_FAILED;
import static dev.bookingplatform.booking.saga.BookingStatus.REJECTED;
import static dev.bookingplatform.booking.saga.SagaEffect.ANNOUNCE_CANCELLED_REFUNDED;
import static dev.bookingplatform.booking.saga.SagaEffect.ANNOUNCE_CONFIRMED;
import static dev.bookingplatform.booking.saga.SagaEffect.ANNOUNCE_ENDED_UNPAID;
import static dev.bookingplatform.booking.saga.SagaEffect.ANNOUNCE_REJECTED;
import static dev.bookingplatform.booking.saga.SagaEffect.FLAG_FOR_OPS;
import static dev.bookingplatform.booking.saga.SagaEffect.RECORD_CHECKOUT;
import static dev.bookingplatform.booking.saga.SagaEffect.RECORD_DECLINE;
import static dev.bookingplatform.booking.saga.SagaEffect.RECORD_DISPUTE;
import static dev.bookingplatform.booking.saga.SagaEffect.RECORD_PAYMENT;
import static dev.bookingplatform.booking.saga.SagaEffect.RECORD_PROCESSING;
import static dev.bookingplatform.booking.saga.SagaEffect.RECORD_REFUND;
import static dev.bookingplatform.booking.saga.SagaEffect.RECORD_REFUND_FAILURE;
import static dev.bookingplatform.booking.saga.SagaEffect.RECORD_RESERVATION;
import static dev.bookingplatform.booking.saga.SagaEffect.REQUEST_HOLD_CONFIRMATION;
import static dev.bookingplatform.booking.saga.SagaEffect.REQUEST_PAYMENT;
import static dev.bookingplatform.booking.saga.SagaEffect.REQUEST_REFUND;
import static dev.bookingplatform.booking.saga.SagaTrigger.ASYNC_PAYMENT_FAILED;
import static dev.bookingplatform.booking.saga.SagaTrigger.CUSTOMER_CANCEL;
import static dev.bookingplatform.booking.saga.SagaTrigger.HOLD_CONFIRMED;
import static dev.bookingplatform.booking.saga.SagaTrigger.HOLD_EXPIRED;
import static dev.bookingplatform.booking.saga.SagaTrigger.HOLD_LOST;
import static dev.bookingplatform.booking.saga.SagaTrigger.INVENTORY_REJECTED;
import static dev.bookingplatform.booking.saga.SagaTrigger.INVENTORY_RESERVED;
import static dev.bookingplatform.booking.saga.SagaTrigger.NO_INVENTORY_ANSWER;
import static dev.bookingplatform.booking.saga.SagaTrigger.OPS_COMPENSATE;
import static dev.bookingplatform.booking.saga.SagaTrigger.OPS_RETRY_REFUND;
import static dev.bookingplatform.booking.saga.SagaTrigger.PAYMENT_DECLINED;
import static dev.bookingplatform.booking.saga.SagaTrigger.PAYMENT_DISPUTED;
import static dev.bookingplatform.booking.saga.SagaTrigger.PAYMENT_PROCESSING;
import static dev.bookingplatform.booking.saga.SagaTrigger.PAYMENT_REFUNDED;
import static dev.bookingplatform.booking.saga.SagaTrigger.PAYMENT_SESSION_CREATED;
import static dev.bookingplatform.booking.saga.SagaTrigger.PAYMENT_SUCCEEDED;
import static dev.bookingplatform.booking.saga.SagaTrigger.REFUND_REFUSED;
import static dev.bookingplatform.booking.saga.SagaTrigger.SESSION_EXPIRED;
import static dev.bookingplatform.booking.saga.SagaTrigger.SESSION_REFUSED;
import static dev.bookingplatform.booking.saga.SagaTrigger.STEP_OVERDUE;

/**
 * The booking saga, whole: (state, trigger) -> (next state, effects). A pair not in the table is refused
 * (logged, counted, kept in the audit trail) and changes nothing. Every rule of the saga is a row here:
 * a paid booking leaves {@code CONFIRMING} only by inventory's answer; a confirmed booking ends only
 * through its refund; a payment that lands on an ended booking is refunded, never dropped.
 */
public final class SagaTable {

    /** One row's outcome. {@code next} equal to the current state: the booking stays, the effects still run. */
    public record Rule(BookingStatus next, List<SagaEffect> effects) {
    }

    private static final Map<BookingStatus, Map<SagaTrigger, Rule>> ROWS = new EnumMap<>(BookingStatus.class);

    static {
        row(PENDING, INVENTORY_RESERVED, AWAITING_PAYMENT, RECORD_RESERVATION, REQUEST_PAYMENT);
        row(PENDING, INVENTORY_REJECTED, REJECTED, ANNOUNCE_REJECTED);
        row(PENDING, NO_INVENTORY_ANSWER, REJECTED, ANNOUNCE_REJECTED);
        row(PENDING, CUSTOMER_CANCEL, CANCELLED, ANNOUNCE_ENDED_UNPAID);
        row(PENDING, OPS_COMPENSATE, CANCELLED, ANNOUNCE_ENDED_UNPAID);

        row(AWAITING_PAYMENT, PAYMENT_SESSION_CREATED, AWAITING_PAYMENT, RECORD_CHECKOUT);
        row(AWAITING_PAYMENT, PAYMENT_DECLINED, AWAITING_PAYMENT, RECORD_DECLINE);
        row(AWAITING_PAYMENT, PAYMENT_PROCESSING, AWAITING_PAYMENT, RECORD_PROCESSING);
        row(AWAITING_PAYMENT, PAYMENT_SUCCEEDED, CONFIRMING, RECORD_PAYMENT, REQUEST_HOLD_CONFIRMATION);
        row(AWAITING_PAYMENT, SESSION_EXPIRED, EXPIRED, ANNOUNCE_ENDED_UNPAID);
        row(AWAITING_PAYMENT, HOLD_EXPIRED, EXPIRED, ANNOUNCE_ENDED_UNPAID);
        row(AWAITING_PAYMENT, SESSION_REFUSED, CANCELLED, ANNOUNCE_ENDED_UNPAID);
        row(AWAITING_PAYMENT, ASYNC_PAYMENT_FAILED, CANCELLED, ANNOUNCE_ENDED_UNPAID);
        row(AWAITING_PAYMENT, CUSTOMER_CANCEL, CANCELLED, ANNOUNCE_ENDED_UNPAID);
        // A payment that lands after this is refunded by the ended booking's row below.
        row(AWAITING_PAYMENT, OPS_COMPENSATE, CANCELLED, ANNOUNCE_ENDED_UNPAID);

        // Paid: only inventory decides whether the units are still the customer's (HOLD_EXPIRED is refused here).
        row(CONFIRMING, HOLD_CONFIRMED, CONFIRMED, ANNOUNCE_CONFIRMED);
        row(CONFIRMING, HOLD_LOST, CANCELLATION_REQUESTED, REQUEST_REFUND);
        row(CONFIRMING, STEP_OVERDUE, CONFIRMING, FLAG_FOR_OPS);
        // Paid, inventory's answer stuck (a dead letter): the refund first; the units go when it is CANCELLED.
        row(CONFIRMING, OPS_COMPENSATE, CANCELLATION_REQUESTED, REQUEST_REFUND);

        row(CONFIRMED, CUSTOMER_CANCEL, CANCELLATION_REQUESTED, REQUEST_REFUND);
        row(CONFIRMED, OPS_COMPENSATE, CANCELLATION_REQUESTED, REQUEST_REFUND);

        row(CANCELLATION_REQUESTED, PAYMENT_REFUNDED, CANCELLED, RECORD_REFUND, ANNOUNCE_CANCELLED_REFUNDED);
        row(CANCELLATION_REQUESTED, REFUND_REFUSED, REFUND_FAILED, RECORD_REFUND_FAILURE);
        row(CANCELLATION_REQUESTED, CUSTOMER_CANCEL, CANCELLATION_REQUESTED);
        row(CANCELLATION_REQUESTED, STEP_OVERDUE, CANCELLATION_REQUESTED, FLAG_FOR_OPS);

        row(REFUND_FAILED, OPS_RETRY_REFUND, CANCELLATION_REQUESTED, REQUEST_REFUND);
        row(REFUND_FAILED, PAYMENT_REFUNDED, CANCELLED, RECORD_REFUND, ANNOUNCE_CANCELLED_REFUNDED);
        row(REFUND_FAILED, CUSTOMER_CANCEL, REFUND_FAILED);

        for (BookingStatus ended : List.of(REJECTED, EXPIRED, CANCELLED)) {
            // A payment that raced the end of the booking (session paid as the hold ran out): the money goes back.
            row(ended, PAYMENT_SUCCEEDED, ended, RECORD_PAYMENT, REQUEST_REFUND);
            row(ended, PAYMENT_REFUNDED, ended, RECORD_REFUND);
            row(ended, REFUND_REFUSED, ended, RECORD_REFUND_FAILURE);
            // Money still owed on an ended booking (its refund failed): ops retry it without reopening the booking.
            row(ended, OPS_RETRY_REFUND, ended, REQUEST_REFUND);
        }
        for (BookingStatus any : BookingStatus.values()) {
            if (any != PENDING) {
                row(any, PAYMENT_DISPUTED, any, RECORD_DISPUTE);
            }
        }
    }

    private SagaTable() {
    }

    public static Optional<Rule> rule(BookingStatus from, SagaTrigger trigger) {
        return Optional.ofNullable(ROWS.getOrDefault(from, Map.of()).get(trigger));
    }

    /** Every row, for tests and documentation. */
    public static Map<BookingStatus, Map<SagaTrigger, Rule>> rows() {
        return ROWS;
    }

    private static void row(BookingStatus from, SagaTrigger trigger, BookingStatus next, SagaEffect... effects) {
        Rule clash = ROWS.computeIfAbsent(from, state -> new EnumMap<>(SagaTrigger.class)).put(trigger, new Rule(next, List.of(effects)));
        if (clash != null) {
            throw new IllegalStateException("Two rows for " + from + " on " + trigger);
        }
    }
}
