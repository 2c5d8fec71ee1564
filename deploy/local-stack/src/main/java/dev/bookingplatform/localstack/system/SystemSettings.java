package dev.bookingplatform.localstack.system;

import java.util.Map;

/**
 * How to start the system: ports (0 for any free one) and properties given to every service on top of
 * their defaults (e.g. {@code bookingplatform.inventory.expiry-interval=500ms}).
 */
public record SystemSettings(int bookingPort, int inventoryPort, int paymentPort, int notificationPort, int stripePort,
        int smtpPort, String webhookSecret, Map<String, String> serviceProperties) {

    /** Any free ports: what tests use, so runs never collide. */
    public static SystemSettings anyFreePorts() {
        return new SystemSettings(0, 0, 0, 0, 0, 0, "whsec_local_simulator", Map.of());
    }
}
