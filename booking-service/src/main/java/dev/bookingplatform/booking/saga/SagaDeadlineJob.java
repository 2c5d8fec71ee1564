package dev.bookingplatform.booking.saga;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.booking.BookingProperties;
import dev.bookingplatform.booking.persistence.BookingRepository;

/**
 * The saga's deadlines for the steps that wait on another service: a booking {@code PENDING} too long is
 * rejected (inventory never answered); one {@code CONFIRMING} or {@code CANCELLATION_REQUESTED} too long is
 * flagged for ops, once. The overdue bookings are locked {@code FOR UPDATE SKIP LOCKED}, so any number of
 * replicas run the job together, each booking handled by one of them.
 */
@Component
class SagaDeadlineJob {

    private static final Logger log = LoggerFactory.getLogger(SagaDeadlineJob.class);

    private static final int BATCH = 100;

    private final TransactionTemplate transactions;

    private final BookingRepository bookings;

    private final BookingSaga saga;

    private final BookingProperties properties;

    private final Clock clock;

    SagaDeadlineJob(TransactionTemplate transactions, BookingRepository bookings, BookingSaga saga, BookingProperties properties,
            Clock clock) {
        this.transactions = transactions;
        this.bookings = bookings;
        this.saga = saga;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${bookingplatform.booking.deadline-interval:5s}")
    void scheduled() {
        enforceDeadlines();
    }

    /** @return how many bookings this run found past a deadline and moved or flagged */
    int enforceDeadlines() {
        return enforce(BookingStatus.PENDING, properties.pendingDeadline(), SagaTrigger.NO_INVENTORY_ANSWER,
                "Inventory did not answer within %s; please try again")
                + enforce(BookingStatus.CONFIRMING, properties.confirmingDeadline(), SagaTrigger.STEP_OVERDUE,
                        "Paid, but inventory has not confirmed the units within %s")
                + enforce(BookingStatus.CANCELLATION_REQUESTED, properties.cancellationDeadline(), SagaTrigger.STEP_OVERDUE,
                        "The refund has not completed within %s");
    }

    /** @return how many bookings were past their deadline */
    int enforce(BookingStatus state, Duration deadline, SagaTrigger trigger, String reason) {
        int total = 0;
        int batch;
        do {
            batch = transactions.execute(status -> {
                List<UUID> overdue = bookings.lockOverdue(state, clock.instant().minus(deadline), trigger == SagaTrigger.STEP_OVERDUE, BATCH);
                overdue.forEach(id -> saga.handle(id, trigger, new SagaCauses.Deadline(reason.formatted(deadline))));
                return overdue.size();
            });
            total += batch;
        }
        while (batch == BATCH);
        if (total > 0) {
            log.warn("{} bookings {} past their deadline of {}: {}", total, state, deadline, trigger);
        }
        return total;
    }
}
