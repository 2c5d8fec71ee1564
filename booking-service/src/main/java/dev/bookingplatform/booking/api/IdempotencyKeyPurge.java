package dev.bookingplatform.booking.api;

import java.time.Clock;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.bookingplatform.booking.BookingProperties;

/**
 * Forgets idempotency keys older than their retention (24 h by default), in batches; replicas may run it at once
 * ({@code SKIP LOCKED}). A key reused after that creates a new booking, as at Stripe.
 */
@Component
class IdempotencyKeyPurge {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);

    private static final int BATCH = 5_000;

    private final IdempotencyKeys keys;

    private final BookingProperties properties;

    private final Clock clock;

    /** Counted with the eventing library's purges, so one panel and one query show every rule. */
    private final Counter purged;

    IdempotencyKeyPurge(IdempotencyKeys keys, BookingProperties properties, Clock clock, MeterRegistry meters) {
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
        this.purged = meters.counter("eventing.retention.rows", "rule", "idempotency-keys");
    }

    @Scheduled(fixedDelayString = "${bookingplatform.booking.idempotency-purge-interval:10m}")
    void purgeExpired() {
        purge();
    }

    /** @return how many keys were deleted */
    int purge() {
        Instant cutoff = clock.instant().minus(properties.idempotencyRetention());
        int total = 0;
        int deleted;
        do {
            deleted = keys.purgeBefore(cutoff, BATCH);
            total += deleted;
            purged.increment(deleted);
        }
        while (deleted == BATCH);
        if (total > 0) {
            log.info("Purged {} idempotency keys first used before {}", total, cutoff);
        }
        return total;
    }
}
