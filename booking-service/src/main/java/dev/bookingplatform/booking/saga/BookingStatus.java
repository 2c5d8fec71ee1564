package dev.bookingplatform.booking.saga;

/**
 * Where a booking is in the saga. Which trigger moves it where, and with which effects, is
 * {@link SagaTable}'s alone; this enum only names the states and which of them are final.
 *
 * <pre>
 * PENDING ─reserved─> AWAITING_PAYMENT ─paid─> CONFIRMING ─hold confirmed─> CONFIRMED ─cancel─> CANCELLATION_REQUESTED
 *   │ rejected,           │ session/hold expired -> EXPIRED      │ hold lost ──────────────────────────^   │ refunded -> CANCELLED
 *   │ no answer           │ async failed, cancel -> CANCELLED                                              │ refused  -> REFUND_FAILED
 *   └-> REJECTED                                                                      REFUND_FAILED ─ops retry─┘
 * </pre>
 */
public enum BookingStatus {

    PENDING, AWAITING_PAYMENT, CONFIRMING, CONFIRMED, REJECTED, EXPIRED, CANCELLATION_REQUESTED, CANCELLED, REFUND_FAILED;

    /** A final state never changes again; a late payment on it is refunded without leaving it. */
    public boolean isFinal() {
        return this == REJECTED || this == EXPIRED || this == CANCELLED;
    }
}
