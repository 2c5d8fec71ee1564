package dev.bookingplatform.localstack.system;

import java.util.Map;

/**
 * How to start the system: ports (0 for any free one) and properties given to every service on top of
 * their defaults (e.g. {@code bookingplatform.inventory.expiry-interval=500ms}).
 */
public record SystemSettings(int bookingPort, int inventoryPort, int paymentPort, int notificationPort, int stripePort,
        int smtpPort, String webhookSecret, Map<String, String> serviceProperties) {

    /** The secret the simulator signs its webhooks with, and payment-service's default one. */
    public static final String SIMULATOR_WEBHOOK_SECRET = "whsec_local_simulator";

    /** Any free ports: what tests use, so runs never collide. */
    public static SystemSettings anyFreePorts() {
        return new SystemSettings(0, 0, 0, 0, 0, 0, SIMULATOR_WEBHOOK_SECRET, Map.of());
    }
}
