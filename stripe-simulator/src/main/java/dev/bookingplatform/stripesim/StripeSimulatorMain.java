package dev.bookingplatform.stripesim;

import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * The simulator as a program of its own, for {@code docker compose} and Kubernetes, configured by the
 * environment: {@code STRIPE_SIMULATOR_PORT} (12111), {@code STRIPE_SIMULATOR_BIND} (0.0.0.0),
 * {@code STRIPE_WEBHOOK_SECRET}, {@code STRIPE_WEBHOOK_ENDPOINT} (payment-service's
 * {@code /webhooks/stripe}), {@code STRIPE_SIMULATOR_LATENCY} (each call's delay, {@code MEDIAN} or
 * {@code MEDIAN/P99} such as {@code 300ms/900ms}; none by default) and {@code STRIPE_SIMULATOR_RATE_LIMIT}
 * (requests a second before 429; 25, test mode's, by default; 0 for none).
 */
public final class StripeSimulatorMain {

    private StripeSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(env("STRIPE_SIMULATOR_PORT", "12111"));
        StripeSimulator simulator = StripeSimulator.start(env("STRIPE_SIMULATOR_BIND", "0.0.0.0"), port,
                env("STRIPE_WEBHOOK_SECRET", "whsec_local_simulator"));
        simulator.webhookEndpoint(URI.create(env("STRIPE_WEBHOOK_ENDPOINT", "http://localhost:8083/webhooks/stripe")));
        simulator.latency(StripeLatency.parse(env("STRIPE_SIMULATOR_LATENCY", "0")));
        simulator.rateLimit(Integer.parseInt(env("STRIPE_SIMULATOR_RATE_LIMIT", "25")));
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "stripe-simulator-shutdown"));
        System.out.println("Stripe simulator listening on port " + port + " (latency " + simulator.latency() + ")");
        new CountDownLatch(1).await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
