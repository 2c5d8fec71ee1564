package dev.bookingplatform.system;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.SystemInfrastructure;
import dev.bookingplatform.localstack.system.SystemSettings;
import dev.bookingplatform.testsupport.FreePorts;

/**
 * The one system all scenarios of this JVM run against, started on first use and stopped at exit. Every
 * scenario uses its own resources and customers, so they never see each other's bookings.
 */
final class TheSystem {

    private static final Logger log = LoggerFactory.getLogger(TheSystem.class);

    private static BookingSystem system;

    private static FlakySmtpRelay smtpRelay;

    private TheSystem() {
    }

    static synchronized BookingSystem get() {
        if (system == null) {
            long begin = System.nanoTime();
            int smtpPort = FreePorts.next();
            int relayPort = FreePorts.next();
            try {
                smtpRelay = new FlakySmtpRelay(relayPort, smtpPort);
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Consumer<String> progress = step -> log.info("Starting {}", step);
            system = BookingSystem.start(new SystemSettings(0, 0, 0, 0, 0, smtpPort, SystemSettings.SIMULATOR_WEBHOOK_SECRET, Map.of(
                    "bookingplatform.inventory.expiry-interval", "250ms",
                    "spring.mail.port", Integer.toString(relayPort))),
                    SystemInfrastructure.shared(progress), progress);
            log.info("Booking system ready in {} ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
            Runtime.getRuntime().addShutdownHook(new Thread(system::close, "booking-system-shutdown"));
        }
        return system;
    }

    /** The relay notification-service sends mail through, for scenarios that make SMTP flaky. */
    static synchronized FlakySmtpRelay smtpRelay() {
        get();
        return smtpRelay;
    }
}
