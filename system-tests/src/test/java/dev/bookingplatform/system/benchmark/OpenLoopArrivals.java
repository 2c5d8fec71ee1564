package dev.bookingplatform.system.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import tools.jackson.databind.json.JsonMapper;

/**
 * Sends booking requests through the booking API as a gateway would under load: open loop, at fixed instants
 * whatever the answers do (a slow answer never delays the next request, as it would in a closed loop), or flat out
 * with a fixed number in flight. Each request books one hour at a random future hour of the resource, so bookings
 * never compete for a unit: what is measured is the saga, not a sold-out slot.
 */
final class OpenLoopArrivals {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Requests in flight at once when sending flat out: more only queue in Tomcat's acceptor. */
    static final int FLAT_OUT_IN_FLIGHT = 64;

    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4, daemon("benchmark-http")))
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One booking API per replica, taken in turn as a round-robin load balancer would. */
    private final List<URI> bookings;

    private final AtomicInteger turn = new AtomicInteger();

    private final String token;

    private final String resourceId;

    private final RandomGenerator random;

    OpenLoopArrivals(List<String> bookingServiceUrls, String token, String resourceId, long seed) {
        this.bookings = bookingServiceUrls.stream().map(url -> URI.create(url + "/api/bookings")).toList();
        this.token = token;
        this.resourceId = resourceId;
        this.random = new java.util.Random(seed);
    }

    /** What the API answered: the accepted bookings' ids, and how many requests it refused or failed. */
    record Sent(List<UUID> accepted, Map<Integer, Integer> refusedByStatus, int failed, Instant first, Instant last) {
    }

    /** {@code count} requests, one every {@code 1/rate} s from now; {@code accepted} hears of each booking as it is. */
    Sent atRate(int rate, int count, java.util.function.Consumer<UUID> accepted) throws InterruptedException {
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(daemon("benchmark-arrivals"));
        Collector collector = new Collector(count, accepted);
        AtomicInteger next = new AtomicInteger();
        long periodNanos = 1_000_000_000L / rate;
        ScheduledFuture<?> schedule = ticks.scheduleAtFixedRate(() -> {
            if (next.getAndIncrement() < count) {
                collector.track(send());
            }
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        collector.awaitAll();
        schedule.cancel(false);
        ticks.shutdown();
        return collector.sent();
    }

    /** {@code count} requests with {@link #FLAT_OUT_IN_FLIGHT} in flight: the API's own limit. */
    Sent flatOut(int count, java.util.function.Consumer<UUID> accepted) throws InterruptedException {
        Collector collector = new Collector(count, accepted);
        Semaphore inFlight = new Semaphore(FLAT_OUT_IN_FLIGHT);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            collector.track(send().whenComplete((answer, error) -> inFlight.release()));
        }
        collector.awaitAll();
        return collector.sent();
    }

    private CompletableFuture<HttpResponse<String>> send() {
        Instant slot;
        synchronized (random) {
            slot = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(30)).plus(Duration.ofHours(random.nextInt(1, 80_000)));
        }
        String customer = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String body = """
                {"customerEmail":"%s@example.com","customerName":"Benchmark Customer","resourceId":"%s","slotStart":"%s",
                 "slotEnd":"%s","quantity":1,"addOns":[]}""".formatted(customer, resourceId, slot, slot.plus(Duration.ofHours(1)));
        URI replica = bookings.get(Math.floorMod(turn.getAndIncrement(), bookings.size()));
        HttpRequest request = HttpRequest.newBuilder(replica).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Gathers the answers as they arrive. */
    private static final class Collector {

        private final CountDownLatch answered;

        private final List<UUID> accepted = java.util.Collections.synchronizedList(new ArrayList<>());

        private final Map<Integer, Integer> refused = new ConcurrentHashMap<>();

        private final AtomicInteger failed = new AtomicInteger();

        private volatile Instant first;

        private volatile Instant last;

        private final java.util.function.Consumer<UUID> onAccepted;

        Collector(int count, java.util.function.Consumer<UUID> onAccepted) {
            this.answered = new CountDownLatch(count);
            this.onAccepted = onAccepted;
        }

        void track(CompletableFuture<HttpResponse<String>> call) {
            if (first == null) {
                first = Instant.now();
            }
            last = Instant.now();
            call.whenComplete((answer, error) -> {
                try {
                    if (error != null) {
                        if (failed.incrementAndGet() <= 3) {
                            System.out.println("  a request failed: " + error);
                        }
                    }
                    else if (answer.statusCode() == 202) {
                        UUID booking = UUID.fromString(JSON.readTree(answer.body()).get("id").asString());
                        accepted.add(booking);
                        onAccepted.accept(booking);
                    }
                    else {
                        refused.merge(answer.statusCode(), 1, Integer::sum);
                    }
                }
                finally {
                    answered.countDown();
                }
            });
        }

        void awaitAll() throws InterruptedException {
            if (!answered.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("The booking API left requests unanswered for 10 minutes");
            }
        }

        Sent sent() {
            return new Sent(List.copyOf(accepted), Map.copyOf(refused), failed.get(), first, last);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
