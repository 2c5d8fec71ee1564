package dev.bookingplatform.booking.saga;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.bookingplatform.booking.BookingProperties;
import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.eventing.metrics.BackgroundGauges;

/**
 * The saga as an operator watches it: how long each step took (time in the state it leaves), how long a booking
 * took from its request to where it settled, how many settled where, and how many wait past their deadline. A
 * step counts once its transaction commits, so a rolled-back and retried delivery is counted once.
 */
@Component
class SagaMetrics implements DisposableBean {

    /** Where a booking first comes to rest for its customer: counted once in {@code booking.saga.outcomes}. */
    private static final Set<BookingStatus> SETTLED = Set.of(BookingStatus.CONFIRMED, BookingStatus.REJECTED,
            BookingStatus.EXPIRED, BookingStatus.CANCELLED);

    /** States before a booking first settles: a step out of one of them into {@link #SETTLED} is its outcome. */
    private static final Set<BookingStatus> UNSETTLED = Set.of(BookingStatus.PENDING, BookingStatus.AWAITING_PAYMENT,
            BookingStatus.CONFIRMING);

    private static final String PAST_DEADLINE = "Bookings in a waiting state longer than its deadline (NaN while the database"
            + " cannot be read)";

    private final BackgroundGauges gauges = new BackgroundGauges("booking-saga", Duration.ofSeconds(15));

    private final MeterRegistry registry;

    private final Clock clock;

    private final JdbcClient jdbc;

    SagaMetrics(MeterRegistry registry, Clock clock, JdbcClient jdbc, BookingProperties properties) {
        this.registry = registry;
        this.clock = clock;
        this.jdbc = jdbc;
        pastDeadline(jdbc, BookingStatus.PENDING, properties.pendingDeadline());
        pastDeadline(jdbc, BookingStatus.CONFIRMING, properties.confirmingDeadline());
        pastDeadline(jdbc, BookingStatus.CANCELLATION_REQUESTED, properties.cancellationDeadline());
        // AWAITING_PAYMENT's deadline is its hold's expiry, kept by inventory, whose HoldExpired should arrive
        // within the time any answer of inventory's may take.
        gauges.register(registry, "booking.saga.past.deadline", PAST_DEADLINE, () -> jdbc
                .sql("SELECT count(*) FROM booking WHERE status = 'AWAITING_PAYMENT' AND hold_expires_at <= ?")
                .param(java.sql.Timestamp.from(clock.instant().minus(properties.pendingDeadline())))
                .query(Long.class).single(), gauge -> gauge.tag("state", BookingStatus.AWAITING_PAYMENT.name()));
    }

    void stepTaken(Booking booking, BookingStatus next, SagaTrigger trigger) {
        Instant now = clock.instant();
        Duration inState = nonNegative(Duration.between(booking.statusChangedAt(), now));
        Duration sinceRequest = nonNegative(Duration.between(booking.createdAt(), now));
        // CANCELLATION_REQUESTED and REFUND_FAILED follow a settled booking (cancelled after CONFIRMED, money owed on an
        // EXPIRED one) or an unsettled one (paid, then its hold lost): only the history tells which ending is its first.
        boolean endsLater = !UNSETTLED.contains(booking.status()) && (next == BookingStatus.CANCELLED || next == BookingStatus.REFUND_FAILED);
        boolean settledBefore = endsLater && settledBefore(booking);
        boolean firstEnding = UNSETTLED.contains(booking.status()) && SETTLED.contains(next)
                || endsLater && next == BookingStatus.CANCELLED && !settledBefore;
        Runnable record = () -> {
            Timer.builder("booking.saga.step").description("Time a booking spent in the state a step left")
                    .tag("from", booking.status().name()).tag("to", next.name()).tag("trigger", trigger.name())
                    .register(registry).record(inState);
            if (firstEnding) {
                Timer.builder("booking.end.to.end").description("Booking requested -> the state it first settled in")
                        .tag("state", next.name()).register(registry).record(sinceRequest);
                Counter.builder("booking.saga.outcomes").description("Bookings by the state they first settled in, once each")
                        .tag("state", next.name()).register(registry).increment();
            }
            else if (settledBefore) {
                Counter.builder("booking.saga.after.settlement").description("Settled bookings ended later: cancelled"
                        + " (refunded) or their refund refused").tag("state", next.name()).register(registry).increment();
            }
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    record.run();
                }
            });
        }
        else {
            record.run();
        }
    }

    /** Whether the booking came to rest before (its current step is not logged yet). */
    private boolean settledBefore(Booking booking) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM booking_transition WHERE booking_id = ? AND accepted AND from_status <> to_status
                               AND to_status IN ('CONFIRMED', 'REJECTED', 'EXPIRED', 'CANCELLED'))""")
                .param(booking.id()).query(Boolean.class).single();
    }

    /** Bookings in a waiting state past its deadline (the deadline job moves or flags them; a rising gauge means it cannot). */
    private void pastDeadline(JdbcClient jdbc, BookingStatus state, Duration deadline) {
        gauges.register(registry, "booking.saga.past.deadline", PAST_DEADLINE, () -> jdbc
                .sql("SELECT count(*) FROM booking WHERE status = ? AND status_changed_at <= ?")
                .params(state.name(), java.sql.Timestamp.from(clock.instant().minus(deadline)))
                .query(Long.class).single(), gauge -> gauge.tag("state", state.name()));
    }

    @Override
    public void destroy() {
        gauges.close();
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
