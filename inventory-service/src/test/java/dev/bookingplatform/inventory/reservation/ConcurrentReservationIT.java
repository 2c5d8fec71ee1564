package dev.bookingplatform.inventory.reservation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/** Thirty reservations racing for five units never take more than five. */
@SpringBootTest(properties = "spring.config.name=inventory-service")
@RealInfrastructure
@Timeout(120)
class ConcurrentReservationIT {

    @Autowired
    ReservationService reservations;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Test
    void concurrentReservationsNeverOversellASlot() throws Exception {
        jdbc.sql("INSERT INTO resource (id, name, capacity_per_unit, unit_price_minor, currency, hold_duration_seconds) VALUES ('race', 'Race', 5, 100, 'EUR', 600)")
                .update();
        Instant slot = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        CyclicBarrier together = new CyclicBarrier(30);
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            List<CompletableFuture<Void>> racers = java.util.stream.IntStream.range(0, 30).mapToObj(i -> CompletableFuture.runAsync(() -> {
                BookingRequested request = new BookingRequested(new EventMetadata(UUID.randomUUID(), Instant.now(), "race", null, "test"),
                        UUID.randomUUID(), "x@example.com", "X", "race", slot, slot.plusSeconds(3600), 1, List.of(), null);
                try {
                    together.await();
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                transactions.executeWithoutResult(status -> reservations.reserve(request));
            }, pool)).toList();
            racers.forEach(CompletableFuture::join);
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("SELECT held FROM unit_stock WHERE resource_id = 'race'").query(Integer.class).single()).isEqualTo(5);
        assertThat(jdbc.sql("SELECT count(*) FROM hold WHERE resource_id = 'race'").query(Long.class).single()).isEqualTo(5);
        assertThat(jdbc.sql("SELECT count(*) FROM outbox_event WHERE event_type = 'InventoryRejected'").query(Long.class).single())
                .isEqualTo(25);
    }
}
