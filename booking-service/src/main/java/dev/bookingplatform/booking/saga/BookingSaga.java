package dev.bookingplatform.booking.saga;

import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.eventing.consumer.NonRetryableEventException;
import dev.bookingplatform.events.inventory.HoldLost;
import dev.bookingplatform.events.inventory.InventoryRejected;
import dev.bookingplatform.events.payment.PaymentFailed;

/**
 * The booking saga's orchestrator. Every step locks the booking, looks up (state, trigger) in
 * {@link SagaTable}, and either applies the row (new state, audit entry, effects) or refuses it through
 * {@link RefusedTransitions}, all in the transaction of the event, request or deadline that triggered it.
 */
@Service
public class BookingSaga {

    private static final Logger log = LoggerFactory.getLogger(BookingSaga.class);

    private final BookingRepository bookings;

    private final SagaEffects effects;

    private final RefusedTransitions refused;

    private final SagaMetrics metrics;

    BookingSaga(BookingRepository bookings, SagaEffects effects, RefusedTransitions refused, SagaMetrics metrics) {
        this.metrics = metrics;
        this.bookings = bookings;
        this.effects = effects;
        this.refused = refused;
    }

    /**
     * Applies {@code trigger} to the booking.
     *
     * @param cause the event, or one of {@link SagaCauses}, the effects read their data from
     * @return the step taken, or empty if the table refused it
     */
    public Optional<SagaStep> handle(UUID bookingId, SagaTrigger trigger, Object cause) {
        Booking booking = bookings.lock(bookingId).orElseThrow(() ->
                new NonRetryableEventException("Booking " + bookingId + " does not exist in booking-service"));
        Optional<SagaTable.Rule> rule = SagaTable.rule(booking.status(), trigger);
        if (rule.isEmpty()) {
            refused.refuse(bookingId, booking.status(), trigger);
            return Optional.empty();
        }
        SagaStep step = step(booking.status(), rule.get().next(), trigger, cause);
        if (step.next() != booking.status()) {
            bookings.moveTo(bookingId, step.next(), step.reasonCode(), step.reason());
            log.info("Booking {} {} -> {} on {}", bookingId, booking.status(), step.next(), trigger);
            metrics.stepTaken(booking, step.next(), trigger);
        }
        bookings.logTransition(bookingId, booking.status(), step.next(), trigger.name(), true);
        rule.get().effects().forEach(effect -> effects.run(effect, booking, trigger, cause, step));
        return Optional.of(step);
    }

    /** Maps a payment failure to its trigger: the reason code says whether the booking expired or failed. */
    static SagaTrigger triggerOf(PaymentFailed failed) {
        return switch (failed.getReasonCode()) {
            case SESSION_EXPIRED -> SagaTrigger.SESSION_EXPIRED;
            case DECLINED -> SagaTrigger.PAYMENT_DECLINED;
            case SESSION_REFUSED -> SagaTrigger.SESSION_REFUSED;
            case ASYNC_PAYMENT_FAILED, OTHER -> SagaTrigger.ASYNC_PAYMENT_FAILED;
        };
    }

    /** The reason a step leaves on the booking, for the customer and for the events that announce it. */
    private static SagaStep step(BookingStatus from, BookingStatus next, SagaTrigger trigger, Object cause) {
        return switch (trigger) {
            case INVENTORY_REJECTED -> {
                InventoryRejected rejected = (InventoryRejected) cause;
                yield new SagaStep(from, next, rejected.getReasonCode().name(), rejected.getReason());
            }
            case NO_INVENTORY_ANSWER -> new SagaStep(from, next, "NO_INVENTORY_ANSWER", ((SagaCauses.Deadline) cause).reason());
            case SESSION_EXPIRED -> new SagaStep(from, next, "HOLD_EXPIRED", "The checkout session expired unpaid");
            case HOLD_EXPIRED -> new SagaStep(from, next, "HOLD_EXPIRED", "The booking was not paid in time");
            case SESSION_REFUSED, ASYNC_PAYMENT_FAILED -> new SagaStep(from, next, "PAYMENT_FAILED", ((PaymentFailed) cause).getReason());
            case HOLD_LOST -> new SagaStep(from, next, "HOLD_LOST", ((HoldLost) cause).getReason());
            case CUSTOMER_CANCEL -> from == next ? new SagaStep(from, next, null, null)
                    : new SagaStep(from, next, "CUSTOMER_REQUEST", reasonOf(cause, "Cancelled at the customer's request"));
            case OPS_COMPENSATE -> new SagaStep(from, next, "OTHER",
                    "We had to end your booking; anything you paid is refunded in full");
            default -> new SagaStep(from, next, null, null);
        };
    }

    private static String reasonOf(Object cause, String fallback) {
        @Nullable String reason = cause instanceof SagaCauses.CustomerCancellation cancellation ? cancellation.reason() : null;
        return reason == null || reason.isBlank() ? fallback : reason;
    }
}
