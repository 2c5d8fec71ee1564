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
import dev.bookingplatform.testsupport.MovableClock;

/**
 * The one system all scenarios of this JVM run against, started on first use and stopped at exit. Every
 * scenario uses its own resources and customers, so they never see each other's bookings.
 */
final class TheSystem {

    private static final Logger log = LoggerFactory.getLogger(TheSystem.class);

    private static BookingSystem system;

    private static FlakySmtpRelay smtpRelay;

    private static final MovableClock CLOCK = new MovableClock();

    private TheSystem() {
    }

    /** Where the services of this JVM write their JSON log lines (logback-test.xml). */
    static final java.nio.file.Path SERVICE_LOG = java.nio.file.Path.of("target", "system-logs", "services.json").toAbsolutePath();

    /**
     * Jobs run often and waits are short, so scenarios see deadlines, retries and reconciliation within seconds;
     * every value is a configuration a deployment could choose.
     */
    static final Map<String, String> SCENARIO_PROPERTIES = Map.ofEntries(
            // The system is closed by its own hook at exit; Spring's hook would race it, waiting 30 s on a listener
            // whose broker was already gone before Surefire killed the fork.
            Map.entry("spring.main.register-shutdown-hook", "false"),
            Map.entry("bookingplatform.inventory.expiry-interval", "250ms"),
            Map.entry("bookingplatform.inventory.expiry-grace", "20s"),
            Map.entry("bookingplatform.booking.deadline-interval", "500ms"),
            Map.entry("bookingplatform.stripe.intents.lease", "5s"),
            Map.entry("bookingplatform.stripe.intents.max-backoff", "2s"),
            Map.entry("bookingplatform.stripe.intents.poll-interval", "100ms"),
            Map.entry("bookingplatform.stripe.reconciliation.interval", "2s"),
            Map.entry("bookingplatform.stripe.reconciliation.overlap", "1m"),
            Map.entry("bookingplatform.stripe.reconciliation.session-grace", "1m"),
            // A batch Kafka holds 5 s makes the relay DOWN (30 s in production), so an outage test sees it soon.
            Map.entry("bookingplatform.eventing.relay.stall-timeout", "5s"),
            // A handler's fault reaches the dead-letter topic in under 2 s, not 7.5 s: scenarios make dozens.
            Map.entry("bookingplatform.eventing.consumer.retry.max-attempts", "4"),
            Map.entry("bookingplatform.eventing.consumer.retry.initial-delay", "250ms"),
            // An e-mail's event a test refuses on purpose is dead-lettered in about 6 s, not a minute.
            Map.entry("bookingplatform.notification.smtp-retry.initial-delay", "100ms"),
            Map.entry("bookingplatform.notification.smtp-retry.max-delay", "1s"),
            // A consumer killed with SIGKILL keeps its partitions until its session times out: 10 s here, not Kafka's
            // 45 s, so the kill tests (services in JVMs of their own) recover sooner. Heartbeats stay at a third.
            Map.entry("spring.kafka.consumer.properties.session.timeout.ms", "10000"),
            Map.entry("spring.kafka.consumer.properties.heartbeat.interval.ms", "3000"),
            // Every scenario calls as one gateway identity, some under load; the limits have tests of their own.
            Map.entry("bookingplatform.security.rate-limits.per-subject.requests", "100000"),
            Map.entry("bookingplatform.security.rate-limits.per-subject.period", "1s"),
            // EdgeSecurityIT sends hundreds of forged tokens from 127.0.0.1.
            Map.entry("bookingplatform.security.rate-limits.per-address.requests", "100000"),
            Map.entry("bookingplatform.security.rate-limits.per-address.period", "1s"));

    /** The system's time: every service in this JVM, their jobs and the Stripe simulator read it. */
    static MovableClock clock() {
        return CLOCK;
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
            system = BookingSystem.start(new SystemSettings(0, 0, 0, 0, 0, smtpPort, SystemSettings.SIMULATOR_WEBHOOK_SECRET,
                    SCENARIO_PROPERTIES).withClock(CLOCK).withServiceProperty("spring.mail.port", Integer.toString(relayPort)),
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
