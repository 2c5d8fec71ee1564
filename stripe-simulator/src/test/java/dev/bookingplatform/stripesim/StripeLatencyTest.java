package dev.bookingplatform.stripesim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The simulator's Stripe latency: the distribution it draws from, and calls that wait side by side. */
class StripeLatencyTest {

    @Test
    void drawsHaveTheMedianAndTheTailTheyWereGiven() {
        long seed = new Random().nextLong();
        System.out.println("StripeLatencyTest seed " + seed);
        StripeLatency latency = new StripeLatency(Duration.ofMillis(300), Duration.ofMillis(900));
        Random random = new Random(seed);
        long[] draws = new long[20_000];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = latency.sample(random).toMillis();
        }
        Arrays.sort(draws);
        assertThat(draws[draws.length / 2]).as("median, seed " + seed).isBetween(285L, 315L);
        assertThat(draws[draws.length * 99 / 100]).as("p99, seed " + seed).isBetween(820L, 990L);
        assertThat(draws[draws.length - 1]).as("a tail draw is capped at ten times the p99").isLessThanOrEqualTo(9_000L);
        assertThat(draws[0]).isPositive();
    }

    @Test
    void parsesWhatTheLocalStackAndTheEnvironmentTake() {
        assertThat(StripeLatency.parse("300ms")).isEqualTo(StripeLatency.fixed(Duration.ofMillis(300)));
        assertThat(StripeLatency.parse("300ms/900ms")).isEqualTo(new StripeLatency(Duration.ofMillis(300), Duration.ofMillis(900)));
        assertThat(StripeLatency.parse("0.3s/1s")).isEqualTo(new StripeLatency(Duration.ofMillis(300), Duration.ofSeconds(1)));
        assertThat(StripeLatency.parse("0").isNone()).isTrue();
        assertThat(StripeLatency.fixed(Duration.ofMillis(250)).sample(new Random(1))).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> StripeLatency.parse("900ms/300ms")).hasMessageContaining("median <= p99");
        assertThatThrownBy(() -> StripeLatency.parse("fast")).hasMessageContaining("MEDIAN/P99");
        assertThatThrownBy(() -> StripeLatency.parse("1/2/3")).hasMessageContaining("MEDIAN/P99");
        assertThatThrownBy(() -> StripeLatency.parse("0/5ms")).hasMessageContaining("zero median");
    }

    /**
     * Each call waits its latency on a thread of its own: 100 calls of a second overlap instead of queueing behind a
     * handful of threads (the simulator had 8, which capped a 300 ms Stripe at 26 calls a second).
     */
    @Test
    void callsWaitOutTheirLatencySideBySideAndAnswerAfterIt() throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(java.util.concurrent.Executors.newFixedThreadPool(8)).build();
        try (StripeSimulator stripe = StripeSimulator.start(0, "whsec_latency_test")) {
            stripe.rateLimit(0);
            stripe.latency(StripeLatency.fixed(Duration.ofSeconds(3)));
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(stripe.apiBase() + "/v1/checkout/sessions"))
                        .header("Authorization", "Bearer sk_test_latency")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(sessionForm(i))).build(), HttpResponse.BodyHandlers.ofString()));
            }
            await("all 100 calls in flight at once, each already in effect").atMost(Duration.ofSeconds(30))
                    .until(() -> stripe.callsInFlight() == 100 && stripe.sessions().size() == 100);
            assertThat(calls).as("none answered before its latency").noneMatch(CompletableFuture::isDone);
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no answer before its latency")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(stripe.callsInFlight()).isZero();
        }
    }

    private static String sessionForm(int booking) {
        return "mode=payment&line_items[0][quantity]=1&line_items[0][price_data][unit_amount]=1500"
                + "&line_items[0][price_data][currency]=eur&line_items[0][price_data][product_data][name]=Room"
                + "&metadata[bookingId]=b-" + booking + "&success_url=http://localhost/ok&cancel_url=http://localhost/no"
                + "&expires_at=" + Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
    }
}
