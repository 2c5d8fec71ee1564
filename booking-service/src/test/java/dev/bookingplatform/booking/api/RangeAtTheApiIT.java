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

/**
 * booking-service refuses a range that does not fit the resource's announced units before anything is
 * written, so a malformed range never enters the saga; a resource whose rules it does not know (announced
 * by an older release, or a unit kind newer than this build) cannot be booked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=booking-service")
@RealInfrastructure
@Timeout(120)
class RangeAtTheApiIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void catalogue() {
        jdbc.sql("DELETE FROM outbox_event WHERE event_type = 'BookingRequested'").update();
        jdbc.sql("DELETE FROM known_resource").update();
        jdbc.sql("""
                INSERT INTO known_resource (id, name, add_on_ids, version, time_zone, unit_kind, unit_minutes, unit_start_minute,
                       unit_end_minute, min_units, max_units)
                VALUES ('room', 'Room', '{}', 1, 'Europe/Lisbon', 'NIGHT', 0, 900, 660, 1, 14),
                       ('future', 'Future', '{}', 1, 'Europe/Lisbon', 'OTHER', 0, 0, 0, 1, 1)""").update();
        jdbc.sql("INSERT INTO known_resource (id, name, add_on_ids, version) VALUES ('legacy', 'Legacy', '{}', 1)").update();
    }

    @Test
    void aMisalignedOrTooLongStayIsA422NamingTheFieldAndWritesNothing() throws Exception {
        HttpResponse<String> misaligned = book("room", "2030-08-01T10:00:00Z", "2030-08-01T11:00:00Z");
        HttpResponse<String> tooLong = book("room", "2030-08-01T14:00:00Z", "2030-09-01T10:00:00Z");

        assertThat(misaligned.statusCode()).as(misaligned.body()).isEqualTo(422);
        assertThat(misaligned.body()).contains("slotStart").contains("must be a check-in at 15:00 (Europe/Lisbon time)")
                .contains("slotEnd").contains("must be a check-out at 11:00 (Europe/Lisbon time)");
        assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(422);
        assertThat(tooLong.body()).contains("at most 14 nights per booking");
        assertThat(jdbc.sql("SELECT count(*) FROM booking").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM outbox_event WHERE event_type = 'BookingRequested'").query(Long.class).single()).isZero();
    }

    @Test
    void aStayOfWholeNightsIsAccepted() throws Exception {
        HttpResponse<String> accepted = book("room", "2030-08-01T14:00:00Z", "2030-08-04T10:00:00Z");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

    @Test
    void aResourceWhoseRulesAreUnknownCannotBeBooked() throws Exception {
        for (String resource : new String[] { "legacy", "future" }) {
            HttpResponse<String> refused = book(resource, "2030-08-01T14:00:00Z", "2030-08-02T10:00:00Z");

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains("resourceId").contains("cannot be booked yet");
        }
    }

    @Test
    void theEventABookingWritesCarriesTheRequestsTrace() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String incoming = "00-" + traceId + "-" + traceId.substring(0, 16) + "-01";

        HttpResponse<String> traced = book("room", "2030-08-01T14:00:00Z", "2030-08-02T10:00:00Z", incoming);
        HttpResponse<String> untraced = book("room", "2030-08-02T14:00:00Z", "2030-08-03T10:00:00Z", null);

        assertThat(traced.statusCode()).as(traced.body()).isEqualTo(202);
        assertThat(untraced.statusCode()).as(untraced.body()).isEqualTo(202);
        var traceparents = jdbc.sql("SELECT traceparent FROM outbox_event WHERE event_type = 'BookingRequested' ORDER BY seq")
                .query(String.class).list();
        assertThat(traceparents).hasSize(2);
        // The same trace, continued by the request's own span.
        assertThat(traceparents.get(0)).matches("00-" + traceId + "-[0-9a-f]{16}-[0-9a-f]{2}").isNotEqualTo(incoming);
        // A request with no trace starts one.
        assertThat(traceparents.get(1)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}").doesNotContain(traceId);
    }

    private HttpResponse<String> book(String resource, String start, String end) throws Exception {
        return book(resource, start, end, null);
    }

    private HttpResponse<String> book(String resource, String start, String end, String traceparent) throws Exception {
        String body = """
                {"customerEmail":"a@example.com","customerName":"A","resourceId":"%s","slotStart":"%s","slotEnd":"%s","quantity":1}"""
                .formatted(resource, start, end);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/bookings"))
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Authorization", TestTokens.bearer("range-tester", Scopes.BOOKINGS_WRITE))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
