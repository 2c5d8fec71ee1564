package dev.bookingplatform.booking;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * booking-service's settings, under {@code bookingplatform.booking}.
 *
 * @param pendingDeadline how long a booking waits for inventory's answer before it is rejected
 * @param confirmingDeadline how long a paid booking waits for inventory to confirm its units before ops are alerted
 * @param cancellationDeadline how long a refund may take before ops are alerted
 * @param deadlineInterval how often the deadline job looks for overdue bookings
 * @param cancellation the terms for resources whose announcement carried none
 * @param idempotencyRetention how long the first answer to an {@code Idempotency-Key} is kept (Stripe keeps 24 h);
 *        after it the key may be used for a new booking
 * @param idempotencyPurgeInterval how often expired keys are deleted
 */
@ConfigurationProperties("bookingplatform.booking")
@org.springframework.validation.annotation.Validated
public record BookingProperties(@DefaultValue("2m") Duration pendingDeadline, @DefaultValue("2m") Duration confirmingDeadline,
        @DefaultValue("30m") Duration cancellationDeadline, @DefaultValue("5s") Duration deadlineInterval,
        @DefaultValue @jakarta.validation.Valid DefaultCancellation cancellation,
        @DefaultValue("24h") Duration idempotencyRetention, @DefaultValue("10m") Duration idempotencyPurgeInterval) {

    /**
     * @param freeCutoff cancellations at least this long before the slot are refunded in full
     * @param lateRefundPercent share refunded after the cut-off, until the slot starts; unset: no cancellation then
     */
    public record DefaultCancellation(@DefaultValue("24h") Duration freeCutoff,
            @Nullable @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(100) Integer lateRefundPercent) {
    }
}
