package dev.bookingplatform.booking.saga;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a booking is in the saga, and where it may go from there. Nothing ever moves backwards, and the
 * two end states ({@code REJECTED}, {@code CANCELLED}) have no way out.
 *
 * <pre>
 * PENDING ──InventoryReserved──> AWAITING_PAYMENT ──PaymentSucceeded──> CONFIRMED
 *    │                               │                                    │
 *    ├─InventoryRejected─> REJECTED  ├─PaymentFailed / HoldExpired /      └─PaymentRefunded (after a
 *    └─customer cancel──> CANCELLED <┘ customer cancel ───────────────────── customer cancel) ─> CANCELLED
 * </pre>
 */
public enum BookingStatus {

    PENDING, AWAITING_PAYMENT, CONFIRMED, REJECTED, CANCELLED;

    public Set<BookingStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(AWAITING_PAYMENT, REJECTED, CANCELLED);
            case AWAITING_PAYMENT -> EnumSet.of(CONFIRMED, CANCELLED);
            case CONFIRMED -> EnumSet.of(CANCELLED);
            case REJECTED, CANCELLED -> EnumSet.noneOf(BookingStatus.class);
        };
    }

    public boolean canMoveTo(BookingStatus target) {
        return next().contains(target);
    }

    public boolean isFinal() {
        return next().isEmpty();
    }
}
