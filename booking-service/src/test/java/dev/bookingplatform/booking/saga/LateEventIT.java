package dev.bookingplatform.booking.saga;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.inventory.InventoryHoldExpired;
import dev.bookingplatform.events.payment.PaymentSucceeded;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/** A late or repeated event never moves a booking backwards, and the refusal is visible. */
@SpringBootTest(properties = "spring.config.name=booking-service")
@RealInfrastructure
@Timeout(120)
class LateEventIT {

    @Autowired
    BookingSaga saga;

    @Autowired
    BookingRepository bookings;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void aHoldExpiryAfterConfirmationIsRefusedLoggedAndCounted() {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        transactions.executeWithoutResult(status -> {
            bookings.insert(new Booking(id, BookingStatus.AWAITING_PAYMENT, "x@example.com", "X", null, "room", now.plusSeconds(86_400),
                    now.plusSeconds(90_000), 1, List.of(), List.of(), 1_000L, "EUR", now, null, null, null, null, null, null,
                    null, null, now, now));
            bookings.recordReservation(id, List.of(), 1_000L, "EUR", now.plusSeconds(600));
            saga.onPaymentSucceeded(new PaymentSucceeded(metadata(), id, "cs_1", "pi_1", 1_000L, "EUR"));
        });
        transactions.executeWithoutResult(status -> saga.onHoldExpired(new InventoryHoldExpired(metadata(), id, "room", Instant.now())));

        assertThat(bookings.find(id).orElseThrow().status()).isEqualTo(BookingStatus.CONFIRMED);
        assertThat(jdbc.sql("SELECT from_status || '>' || to_status || ':' || accepted FROM booking_transition WHERE booking_id = ? ORDER BY id")
                .param(id).query(String.class).list())
                .containsExactly("AWAITING_PAYMENT>CONFIRMED:true", "CONFIRMED>CANCELLED:false");
        assertThat(meters.get("booking.saga.transitions.refused").tag("from", "CONFIRMED").tag("trigger", "InventoryHoldExpired")
                .counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM outbox_event WHERE aggregate_id = ? AND event_type = 'BookingCancelled'")
                .param(id.toString()).query(Long.class).single()).isZero();
    }

    private static EventMetadata metadata() {
        return new EventMetadata(UUID.randomUUID(), Instant.now(), "test", null, "test");
    }
}
