package dev.bookingplatform.system;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.localstack.system.BookingSystem;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenario 7: the gateway's retries with one Idempotency-Key make one booking. */
@Timeout(120)
class IdempotencyIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void theSameKeyAndBodyTwiceMakeOneBookingAndTheSameAnswer() {
        String resource = client.createResource("idem-room", 5, 5_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = "fay+" + UUID.randomUUID() + "@example.com";
        String body = PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, "");
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = client.book(key, body);
        HttpResponse<String> second = client.book(key, body);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(bookingsOf(email)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String resource = client.createResource("idem-room", 5, 5_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = "gus+" + UUID.randomUUID() + "@example.com";
        String key = UUID.randomUUID().toString();
        assertThat(client.book(key, PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, "")).statusCode())
                .isEqualTo(202);

        HttpResponse<String> other = client.book(key, PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 2, ""));

        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        assertThat(other.body()).contains("Idempotency-Key");
        assertThat(bookingsOf(email)).isEqualTo(1);
    }

    @Test
    void concurrentRetriesWithOneKeyMakeOneBooking() {
        String resource = client.createResource("idem-room", 5, 5_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = "hal+" + UUID.randomUUID() + "@example.com";
        String body = PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, "");
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<HttpResponse<String>> answers = java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> client.book(key, body), pool)).toList()
                    .stream().map(CompletableFuture::join).toList();
            assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(202));
            assertThat(answers.stream().map(HttpResponse::body).distinct()).hasSize(1);
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(bookingsOf(email)).isEqualTo(1);
    }

    private long bookingsOf(String email) {
        return PlatformClient.jdbc(system.booking()).sql("SELECT count(*) FROM booking WHERE customer_email = ?").param(email)
                .query(Long.class).single();
    }
}
