package dev.bookingplatform.booking.saga;

/** What a row of {@link SagaTable} does besides moving the state; run by {@link BookingSaga} in the same transaction. */
public enum SagaEffect {

    /** Copy prices, line items and hold expiry from {@code InventoryReserved}. */
    RECORD_RESERVATION,
    /** {@code PaymentRequested}: payment-service opens a Checkout Session. */
    REQUEST_PAYMENT,
    RECORD_CHECKOUT,
    RECORD_DECLINE,
    RECORD_PROCESSING,
    RECORD_PAYMENT,
    /** {@code BookingPaid}: inventory keeps the units (or takes them again) and answers. */
    REQUEST_HOLD_CONFIRMATION,
    /** {@code BookingConfirmed}: the receipt goes out. */
    ANNOUNCE_CONFIRMED,
    /** {@code BookingRejected}: inventory releases anything it holds, the customer is told. */
    ANNOUNCE_REJECTED,
    /** {@code BookingCancelled} without a refund: inventory releases, payment-service closes the session, the customer is told. */
    ANNOUNCE_ENDED_UNPAID,
    /** {@code BookingCancellationRequested}: payment-service refunds. */
    REQUEST_REFUND,
    RECORD_REFUND,
    /** {@code BookingCancelled} after the refund: inventory releases; the refund's e-mail tells the customer. */
    ANNOUNCE_CANCELLED_REFUNDED,
    RECORD_REFUND_FAILURE,
    RECORD_DISPUTE,
    FLAG_FOR_OPS
}
