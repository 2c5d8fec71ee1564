package dev.bookingplatform.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.ScheduledFuture;

import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * Booking requests at a fixed rate (open loop: a slow or dead replica never delays the next request), sent as a
 * gateway sends them: to the booking replicas in turn, and when one does not answer (refused, reset, 5xx), again
 * with the same {@code Idempotency-Key} to the next one a second later, until some replica answers. A request is
 * accepted once a replica answers {@code 202}; what is accepted must then end right, whatever was killed meanwhile.
 */
final class SteadyBookings implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "steady-bookings");
        thread.setDaemon(true);
        return thread;
    });

    private final Supplier<List<URI>> replicas;

    private final String token;

    /** The request body of the n-th booking. */
    private final Function<Integer, String> body;

    private final AtomicInteger sent = new AtomicInteger();

    private final AtomicInteger turn = new AtomicInteger();

    private final AtomicInteger resent = new AtomicInteger();

    private final AtomicInteger inFlight = new AtomicInteger();

    private final List<Accepted> accepted = Collections.synchronizedList(new ArrayList<>());

    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    /** A booking some replica accepted: its id, and the number of the request (its body) that made it. */
    record Accepted(UUID id, int request) {
    }

    SteadyBookings(Supplier<List<URI>> bookingServiceUrls, String token, Function<Integer, String> body) {
        this.replicas = bookingServiceUrls;
        this.token = token;
        this.body = body;
    }

    private volatile ScheduledFuture<?> arrivals;

    /** Starts sending {@code perSecond} requests a second. */
    SteadyBookings start(int perSecond) {
        arrivals = ticks.scheduleAtFixedRate(() -> {
            int request = sent.getAndIncrement();
            inFlight.incrementAndGet();
            try {
                send(request, UUID.randomUUID().toString(), Instant.now());
            }
            catch (RuntimeException unsent) {
                // A throw would end the schedule silently; this request is a failure instead.
                failures.add(request + ": not sent: " + unsent);
                inFlight.decrementAndGet();
            }
        }, 0, 1_000_000_000L / perSecond, TimeUnit.NANOSECONDS);
        return this;
    }

    /** Sends one try; counted in {@link #inFlight} from the caller until it is answered for good. */
    private void send(int request, String idempotencyKey, Instant firstTry) {
        List<URI> urls = replicas.get();
        URI replica = urls.get(Math.floorMod(turn.getAndIncrement(), urls.size())).resolve("/api/bookings");
        HttpRequest post = HttpRequest.newBuilder(replica).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body.apply(request))).build();
        http.sendAsync(post, HttpResponse.BodyHandlers.ofString()).whenComplete((answer, error) -> {
            boolean answered = true;
            try {
                if (answer != null && answer.statusCode() == 202) {
                    accepted.add(new Accepted(UUID.fromString(JSON.readTree(answer.body()).get("id").asString()), request));
                }
                else if (answer != null && answer.statusCode() < 500) {
                    failures.add(request + ": " + answer.statusCode() + " " + answer.body());
                }
                else if (Duration.between(firstTry, Instant.now()).compareTo(GIVE_UP_AFTER) > 0) {
                    failures.add(request + ": no replica accepted it in " + GIVE_UP_AFTER + " (" + describe(answer, error) + ")");
                }
                else {
                    resent.incrementAndGet();
                    ticks.schedule(() -> send(request, idempotencyKey, firstTry), 1, TimeUnit.SECONDS);
                    answered = false;
                }
            }
            catch (RuntimeException unreadable) {
                failures.add(request + ": " + unreadable);
            }
            finally {
                if (answered) {
                    inFlight.decrementAndGet();
                }
            }
        });
    }

    private static String describe(HttpResponse<String> answer, Throwable error) {
        if (answer != null) {
            return answer.statusCode() + " " + answer.body();
        }
        return error instanceof IOException || error.getCause() instanceof IOException ? "no answer: " + error : error.toString();
    }

    /** The bookings accepted so far. */
    List<Accepted> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    /** Requests made (each counted once, however often it was sent). */
    int sent() {
        return sent.get();
    }

    /** Tries sent again (to the next replica in turn, with the same key) after no answer or a 5xx. */
    int resent() {
        return resent.get();
    }

    /** Requests that ended without a 202: a 4xx, or no replica accepted them in three minutes. */
    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Stops sending new requests and waits (up to three minutes and more) until every one sent is answered for good. */
    @Override
    public void close() {
        if (arrivals != null) {
            arrivals.cancel(false);
        }
        await().atMost(GIVE_UP_AFTER.plusSeconds(30)).until(() -> inFlight.get() == 0);
        ticks.shutdownNow();
    }
}
