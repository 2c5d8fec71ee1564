package dev.bookingplatform.booking.retention;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bookingplatform.eventing.retention.RetentionRule;

/**
 * booking-service's share of retention (the eventing library purges its own tables): a booking that ended longer
 * ago than {@code bookingplatform.booking.personal-data-retention} (90 days) keeps its row, prices and history, but
 * not the customer's e-mail address and name. A confirmed booking ends when its time range does.
 */
@Configuration(proxyBeanMethods = false)
class BookingRetention {

    static final String ENDED = "CASE WHEN status = 'CONFIRMED' THEN slot_end ELSE status_changed_at END";

    @Bean
    RetentionRule endedBookingsPersonalData(@Value("${bookingplatform.booking.personal-data-retention:90d}") Duration period) {
        return RetentionRule.mask("ended-bookings-personal-data", "booking", ENDED, period,
                "status IN ('CONFIRMED', 'REJECTED', 'EXPIRED', 'CANCELLED') AND customer_email NOT LIKE 'erased+%'",
                "customer_email = 'erased+' || id || '@invalid', customer_name = '(erased)', updated_at = now()");
    }
}
