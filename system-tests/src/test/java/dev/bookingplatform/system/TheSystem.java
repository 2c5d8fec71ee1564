package dev.bookingplatform.system;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one system all scenarios of this JVM run against, started on first use and stopped at exit. Every
 * scenario uses its own resources and customers, so they never see each other's bookings.
 */
final class TheSystem {

    private static final Logger log = LoggerFactory.getLogger(TheSystem.class);

    private static BookingSystem system;

    private TheSystem() {
    }

    static synchronized BookingSystem get() {
        if (system == null) {
            long begin = System.nanoTime();
            system = BookingSystem.start(SystemSettings.anyFreePorts().withServiceProperties(Map.of(
                    "bookingplatform.inventory.expiry-interval", "250ms",
                    "bookingplatform.eventing.consumer.concurrency", "1")),
                    step -> log.info("Starting {}", step));
            log.info("Booking system ready in {} ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
            Runtime.getRuntime().addShutdownHook(new Thread(system::close, "booking-system-shutdown"));
        }
        return system;
    }
}
