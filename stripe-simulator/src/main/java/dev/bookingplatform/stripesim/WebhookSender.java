package dev.bookingplatform.stripesim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers signed webhook events to the configured endpoint as Stripe does: asynchronously, and again
 * with growing pauses while the endpoint does not answer 2xx.
 */
final class WebhookSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private static final int MAX_ATTEMPTS = 8;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Stripe delivers an account's events side by side, not one after another: 16 at once, as a benchmark's load needs. */
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "stripe-sim-webhooks");
        thread.setDaemon(true);
        return thread;
    });

    private final Supplier<@Nullable URI> endpoint;

    private final String secret;

    private final Clock clock;

    WebhookSender(Supplier<@Nullable URI> endpoint, String secret, Clock clock) {
        this.endpoint = endpoint;
        this.secret = secret;
        this.clock = clock;
    }

    void send(String eventId, String type, String payload) {
        executor.execute(() -> attempt(eventId, type, payload, 1));
    }

    private void attempt(String eventId, String type, String payload, int attempt) {
        URI target = endpoint.get();
        int status = -1;
        if (target != null) {
            try {
                HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("Stripe-Signature", WebhookSigner.header(payload, clock.instant().getEpochSecond(), secret))
                        .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            catch (java.io.IOException e) {
                log.info("Webhook {} ({}) to {} failed: {}", eventId, type, target, e.toString());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if ((status < 200 || status >= 300) && attempt < MAX_ATTEMPTS && !executor.isShutdown()) {
            long delayMs = Math.min(10_000, 250L << (attempt - 1));
            executor.schedule(() -> attempt(eventId, type, payload, attempt + 1), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
