package dev.bookingplatform.localstack.system;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * How to start the system: ports (0 for any free one), properties given to every service on top of their
 * defaults (e.g. {@code bookingplatform.inventory.expiry-interval=500ms}), the clock the in-JVM services, their
 * jobs and the Stripe simulator read, which services run in a JVM of their own (so a test can SIGKILL one),
 * where the simulator keeps its account (null: in memory), and how many replicas of each service run.
 */
public record SystemSettings(int bookingPort, int inventoryPort, int paymentPort, int notificationPort, int stripePort,
        int smtpPort, String webhookSecret, Map<String, String> serviceProperties, Clock clock, Set<String> ownProcesses,
        java.nio.file.@Nullable Path stripeJournal, int replicas) {

    /**
     * The secret the simulator signs its webhooks with. Published here, so payment-service accepts it only in its
     * {@code local} profile, which the system starts it in.
     */
    public static final String SIMULATOR_WEBHOOK_SECRET = "whsec_local_simulator";

    /** The key payment-service sends the simulator; the simulator takes any {@code sk_test_} key. */
    public static final String SIMULATOR_API_KEY = "sk_test_local_simulator";

    public SystemSettings(int bookingPort, int inventoryPort, int paymentPort, int notificationPort, int stripePort, int smtpPort,
            String webhookSecret, Map<String, String> serviceProperties) {
        this(bookingPort, inventoryPort, paymentPort, notificationPort, stripePort, smtpPort, webhookSecret, serviceProperties,
                Clock.systemUTC(), Set.of(), null, 1);
    }

    /** Any free ports: what tests use, so runs never collide. */
    public static SystemSettings anyFreePorts() {
        return new SystemSettings(0, 0, 0, 0, 0, 0, SIMULATOR_WEBHOOK_SECRET, Map.of());
    }

    /** The same, with {@code clock} as the system's time (a test's {@code MovableClock}). */
    public SystemSettings withClock(Clock newClock) {
        return new SystemSettings(bookingPort, inventoryPort, paymentPort, notificationPort, stripePort, smtpPort, webhookSecret,
                serviceProperties, newClock, ownProcesses, stripeJournal, replicas);
    }

    /** The same, with one more property for every service. */
    public SystemSettings withServiceProperty(String key, String value) {
        Map<String, String> properties = new java.util.LinkedHashMap<>(serviceProperties);
        properties.put(key, value);
        return new SystemSettings(bookingPort, inventoryPort, paymentPort, notificationPort, stripePort, smtpPort, webhookSecret,
                properties, clock, ownProcesses, stripeJournal, replicas);
    }

    /**
     * The same, with these services ({@code payment-service}, ...) each in a JVM of its own. Such a service reads
     * the system clock: a {@link #clock} a test moves reaches only the services in this JVM and the simulator.
     */
    public SystemSettings withOwnProcesses(Set<String> services) {
        return new SystemSettings(bookingPort, inventoryPort, paymentPort, notificationPort, stripePort, smtpPort, webhookSecret,
                serviceProperties, clock, Set.copyOf(services), stripeJournal, replicas);
    }

    /**
     * The same, with {@code count} replicas of every service: the first as configured, each further one in a JVM of
     * its own on a free port, sharing its service's database and consumer group, as replicas of a deployment do.
     */
    public SystemSettings withReplicas(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("At least one replica of each service, not " + count);
        }
        return new SystemSettings(bookingPort, inventoryPort, paymentPort, notificationPort, stripePort, smtpPort, webhookSecret,
                serviceProperties, clock, ownProcesses, stripeJournal, count);
    }

    /**
     * The same, with the Stripe simulator keeping its account in {@code journal}: a system started again on it finds
     * the sessions and refunds it made, as a real Stripe account outlives a crash of ours.
     */
    public SystemSettings withStripeJournal(java.nio.file.Path journal) {
        return new SystemSettings(bookingPort, inventoryPort, paymentPort, notificationPort, stripePort, smtpPort, webhookSecret,
                serviceProperties, clock, ownProcesses, journal, replicas);
    }
}
