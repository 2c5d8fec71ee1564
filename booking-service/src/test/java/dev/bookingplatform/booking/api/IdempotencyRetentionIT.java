package dev.bookingplatform.booking.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bookingplatform.booking.TestTokens;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.web.security.Scopes;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency keys are the caller's own and are forgotten after their retention (24 h by default). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=booking-service")
@RealInfrastructure
@Timeout(120)
class IdempotencyRetentionIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IdempotencyKeyPurge purge;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void catalogue() {
        jdbc.sql("""
                INSERT INTO known_resource (id, name, add_on_ids, version, time_zone, unit_kind, unit_minutes, unit_start_minute,
                       unit_end_minute, min_units, max_units)
                VALUES ('room', 'Room', '{}', 1, 'Europe/Lisbon', 'NIGHT', 0, 900, 660, 1, 14) ON CONFLICT (id) DO NOTHING""").update();
    }

    @Test
    void twoCustomersWithOneKeyGetTwoBookingsAndEachRetryReplaysItsOwn() throws Exception {
        String key = "first-booking-" + UUID.randomUUID();
        HttpResponse<String> ada = book("ada", key);
        HttpResponse<String> bob = book("bob", key);
        HttpResponse<String> adaAgain = book("ada", key);

        assertThat(ada.statusCode()).as(ada.body()).isEqualTo(202);
        assertThat(bob.statusCode()).as(bob.body()).isEqualTo(202);
        assertThat(bob.headers().firstValue("Location")).isNotEqualTo(ada.headers().firstValue("Location"));
        assertThat(bob.headers().firstValue("Idempotent-Replayed")).contains("false");
        assertThat(adaAgain.headers().firstValue("Location")).isEqualTo(ada.headers().firstValue("Location"));
        assertThat(adaAgain.headers().firstValue("Idempotent-Replayed")).contains("true");
    }

    @Test
    void aKeyOlderThanItsRetentionIsPurgedAndThenBooksAnew() throws Exception {
        String expired = "old-" + UUID.randomUUID();
        String fresh = "new-" + UUID.randomUUID();
        HttpResponse<String> first = book("carol", expired);
        book("carol", fresh);
        jdbc.sql("UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = ?").param(expired).update();

        double countedBefore = meters.counter("eventing.retention.rows", "rule", "idempotency-keys").count();
        int purged = purge.purge();
        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(meters.counter("eventing.retention.rows", "rule", "idempotency-keys").count() - countedBefore)
                .as("purged keys counted with the other retention rules").isGreaterThanOrEqualTo(purged);

        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_key WHERE key = ?").param(expired).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_key WHERE key = ?").param(fresh).query(Long.class).single()).isOne();
        HttpResponse<String> again = book("carol", expired);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("false");
        assertThat(again.headers().firstValue("Location")).isNotEqualTo(first.headers().firstValue("Location"));
    }

    private HttpResponse<String> book(String customer, String key) throws Exception {
        String body = """
                {"customerEmail":"%s@example.com","customerName":"%s","resourceId":"room",
                 "slotStart":"2030-08-01T14:00:00Z","slotEnd":"2030-08-02T10:00:00Z","quantity":1}""".formatted(customer, customer);
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/bookings"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .header("Authorization", TestTokens.bearer(customer, Scopes.BOOKINGS_WRITE))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
