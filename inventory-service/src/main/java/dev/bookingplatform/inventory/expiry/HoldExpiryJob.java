package dev.bookingplatform.inventory.expiry;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.inventory.InventoryProperties;
import dev.bookingplatform.inventory.reservation.ReservationService;

/**
 * Releases holds nobody paid for in time, a batch per transaction, {@code expiry-grace} after their expiry:
 * the customer can pay until the expiry (the session ends then), and the webhook of a payment made in the
 * last second still finds the hold. The batch is locked with SKIP LOCKED,
 * so any number of replicas can run the job together without releasing a hold twice or waiting on each
 * other; each release and its {@code InventoryHoldExpired} commit together.
 */
@Component
class HoldExpiryJob {

    private static final Logger log = LoggerFactory.getLogger(HoldExpiryJob.class);

    private final TransactionTemplate transactions;

    private final ReservationService reservations;

    private final InventoryProperties properties;

    private final Clock clock;

    HoldExpiryJob(TransactionTemplate transactions, ReservationService reservations, InventoryProperties properties, Clock clock) {
        this.clock = clock;
        this.transactions = transactions;
        this.reservations = reservations;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${bookingplatform.inventory.expiry-interval:1s}")
    void scheduled() {
        releaseExpiredHolds();
    }

    /** @return how many holds this run released */
    int releaseExpiredHolds() {
        int total = 0;
        int released;
        do {
            Integer batch = transactions.execute(status ->
                    reservations.expireDue(clock.instant().minus(properties.expiryGrace()), clock.instant(),
                            properties.expiryBatchSize()));
            released = batch == null ? 0 : batch;
            total += released;
            if (released > 0) {
                log.info("Released {} expired holds", released);
            }
        }
        while (released == properties.expiryBatchSize());
        return total;
    }
}
