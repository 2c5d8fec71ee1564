package dev.bookingplatform.booking.saga;

/** What can happen to a booking: an event from another service, a customer's or ops' request, or a deadline. */
public enum SagaTrigger {

    INVENTORY_RESERVED, INVENTORY_REJECTED,
    /** {@code PENDING} past its deadline: inventory never answered. */
    NO_INVENTORY_ANSWER,
    PAYMENT_SESSION_CREATED, PAYMENT_DECLINED, PAYMENT_PROCESSING, PAYMENT_SUCCEEDED,
    /** The Checkout Session ran out unpaid. */
    SESSION_EXPIRED,
    /** Stripe refused to open the session (too small an amount, too short a window). */
    SESSION_REFUSED,
    ASYNC_PAYMENT_FAILED,
    HOLD_EXPIRED, HOLD_CONFIRMED, HOLD_LOST,
    CUSTOMER_CANCEL,
    PAYMENT_REFUNDED,
    /** Stripe refused the refund, or it failed after it was made. */
    REFUND_REFUSED,
    /** Ops ask payment-service to try a refused refund again. */
    OPS_RETRY_REFUND,
    /**
     * Ops end a booking the saga cannot finish (its event is dead-lettered for good): release what is held, refund
     * what was paid, through the saga's own effects.
     */
    OPS_COMPENSATE,
    PAYMENT_DISPUTED,
    /** A step that waits on another service overran its deadline: flagged for ops, the state stays. */
    STEP_OVERDUE
}
