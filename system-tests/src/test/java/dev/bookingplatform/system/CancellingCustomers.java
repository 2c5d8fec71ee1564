package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bookingplatform.localstack.system.ServiceProcess;

/**
 * Customers who cancel their booking as soon as it is confirmed, through whichever booking replica answers: they
 * look in booking-service's database twice a second and ask again until the booking has left {@code CONFIRMED}
 * (the request may have died with the replica that took it). A refusal they did not expect (a 4xx other than
 * "already ended", which a repeated request can meet) is kept for the test to fail on, with its body: a customer told
 * no would otherwise just wait, and the test would time out not saying why.
 */
final class CancellingCustomers implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Set<UUID> pending = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService looking = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cancelling-customers");
        thread.setDaemon(true);
        return thread;
    });

    private final List<ServiceProcess> bookingReplicas;

    private final String token;

    private final AtomicInteger turn = new AtomicInteger();

    private final List<String> refusals = new CopyOnWriteArrayList<>();

    CancellingCustomers(List<ServiceProcess> bookingReplicas, String token) {
        this.bookingReplicas = bookingReplicas;
        this.token = token;
        looking.scheduleWithFixedDelay(this::cancelTheConfirmed, 500, 500, TimeUnit.MILLISECONDS);
    }

    void expect(UUID booking) {
        pending.add(booking);
    }

    /** Cancellations refused for a reason other than the booking having ended meanwhile: status and body. */
    List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Those whose cancellation booking-service has not taken yet. */
    Set<UUID> pending() {
        return Set.copyOf(pending);
    }

    private void cancelTheConfirmed() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            JdbcClient.create(bookingReplicas.get(0).dataSource()).sql("SELECT id, status FROM booking WHERE id = ANY (?)")
                    .param(pending.toArray(UUID[]::new)).query((row, n) -> {
                        UUID id = row.getObject("id", UUID.class);
                        switch (row.getString("status")) {
                            case "CONFIRMED" -> cancel(id);
                            case "PENDING", "AWAITING_PAYMENT", "CONFIRMING" -> {
                                // not confirmed yet
                            }
                            default -> pending.remove(id);
                        }
                        return id;
                    }).list();
        }
        catch (RuntimeException lookAgain) {
            // The next look, half a second later, asks again.
        }
    }

    private void cancel(UUID booking) {
        URI replica = bookingReplicas.get(Math.floorMod(turn.getAndIncrement(), bookingReplicas.size())).url()
                .resolve("/api/bookings/" + booking + "/cancel");
        http.sendAsync(HttpRequest.newBuilder(replica).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .thenAccept(response -> {
                    int status = response.statusCode();
                    boolean endedMeanwhile = status == 409 && response.body().contains("Booking already ended");
                    if (status >= 400 && status < 500 && !endedMeanwhile) {
                        refusals.add(booking + ": " + status + " " + response.body());
                    }
                });
        // No answer or a 5xx (the replica died): the next look asks again.
    }

    @Override
    public void close() {
        looking.shutdownNow();
    }
}
