package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.localstack.system.BookingSystem;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenario 8: bad input on every endpoint is a 4xx problem detail naming the field, and writes nothing. */
@Timeout(120)
class BadInputIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void badBookingRequestsAreProblemDetailsNamingTheFieldAndWriteNothing() {
        String resource = client.createResource("strict-room", 2, 5_000, PlatformClient.HOLD_SECONDS, Map.of("towel", 300L));
        String email = "ivy+" + UUID.randomUUID() + "@example.com";
        Instant slot = PlatformClient.freshSlot();
        String url = system.booking().url() + "/api/bookings";

        assertProblem(client.book(key(), "{}"), 400, "customerEmail", "customerName", "resourceId", "slotStart", "quantity");
        assertProblem(client.book(key(), PlatformClient.bookingJson("not-an-email", resource, slot, 1, "")), 400, "customerEmail");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, Instant.parse("2020-01-01T10:00:00Z"), 1, "")),
                400, "slotStart");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 0, "")), 400, "quantity");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1_000_000_000, "")), 400, "quantity");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1, "")
                .replace("\"quantity\":1", "\"quantity\":99999999999")), 400, "quantity");
        // A fraction is refused, not cut to a whole number: 1.7 rooms must not quietly become one.
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1, "")
                .replace("\"quantity\":1", "\"quantity\":1.7")), 400, "quantity");
        // A member twice is refused: a gateway that checked the first value must not see another one booked.
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1, "")
                .replace("\"quantity\":1", "\"quantity\":1,\"quantity\":2")), 400, "quantity", "appears more than once");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1,
                "{\"addOnId\":\"towel\",\"quantity\":1,\"quantity\":9}")), 400, "\"addOns[0].quantity\"", "appears more than once");
        // Text PostgreSQL cannot store, or that is not text at all, is refused, not a 500 nor stored as "?".
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1, "")
                .replace("Ada Lovelace", "Ada\\u0000")), 400, "customerName", "NUL");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1, "")
                .replace("Ada Lovelace", "Ada \\ud800")), 400, "customerName", "surrogate");
        // A name is one line of plain text: it goes into e-mails and to Stripe, where a line break or a
        // text-direction override could make it say something else.
        for (String spoof : List.of("Ada\\r\\nBcc: eve@example.com", "Ada\\tLovelace", "Ada \\u202Egnp.exe", "Ada\\u2028Lovelace")) {
            assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1, "")
                    .replace("Ada Lovelace", spoof)), 400, "customerName", "control characters");
        }
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1,
                "{\"addOnId\":\"to\\u0000wel\",\"quantity\":1}")), 400, "addOns[0].addOnId", "NUL");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, "no-such-resource", slot, 1, "")), 422, "resourceId");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot.plusSeconds(1), slot.plusSeconds(3601), 1, "")),
                422, "slotStart", "slotEnd", "on the hour");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, slot.plus(Duration.ofHours(25)), 1, "")),
                422, "slotEnd", "at most 24 hours");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, slot.minus(Duration.ofHours(1)), 1, "")),
                422, "slotEnd", "after slotStart");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1, "{\"addOnId\":\"spa\",\"quantity\":1}")),
                422, "addOns[0].addOnId");
        assertProblem(client.book(key(), PlatformClient.bookingJson(email, resource, slot, 1, "")
                .replace("\"slotStart\":\"", "\"slotStart\":\"yesterday")), 400, "slotStart");
        assertProblem(client.book(key(), "{\"customerEmail\": \"x@example.com\", "), 400, "body");
        assertProblem(client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain")
                .header("Idempotency-Key", key()).POST(HttpRequest.BodyPublishers.ofString("hello"))), 415, "text/plain");
        assertProblem(client.book(key(), "{\"customerName\":\"" + "x".repeat(100_000) + "\"}"), 413, "limit");
        assertProblem(client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Accept", "application/xml").header("Idempotency-Key", key())
                .POST(HttpRequest.BodyPublishers.ofString(PlatformClient.bookingJson(email, resource, slot, 1, "")))), 406,
                "application/json");
        assertProblem(client.send(HttpRequest.newBuilder(URI.create(url + "?size=5")).header("Accept", "text/csv").GET()), 406,
                "application/json");
        assertProblem(client.post(url, Map.of(), PlatformClient.bookingJson(email, resource, slot, 1, "")), 400, "Idempotency-Key");
        assertProblem(client.get(url + "/not-a-uuid"), 400, "id");
        // Refused by Tomcat before any code of ours runs, or by its parameter parsing: problem details all the same,
        // not Tomcat's HTML page (a malformed escape in the query was even a 500).
        // The last two Tomcat lets through and Spring Security's firewall refuses: that answer was Spring Boot's plain JSON.
        for (String target : List.of("/api/bookings?page=%zz", "/api/bookings/a%5Cb", "/api/bookings/%00", "/api/bookings/%zz",
                "/api/bookings;x=1", "/api//bookings")) {
            PlatformClient.RawAnswer answer = client.rawGet(system.booking().url(), target);
            assertThat(answer.status()).as(target + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.contentType()).as(target).contains("application/problem+json");
            assertThat(answer.body()).as(target).contains("\"status\":400").doesNotContain("<html").doesNotContain("Exception");
        }
        assertProblem(client.send(HttpRequest.newBuilder(URI.create(url)).header("X-Padding", "a".repeat(20_000)).GET()), 400,
                "Bad Request");
        assertProblem(client.get(url + "?size=1000"), 400, "size");
        assertProblem(client.get(url + "?status=LOST"), 400, "status");
        assertProblem(client.get(url + "/" + UUID.randomUUID()), 404, "Booking");
        assertProblem(client.cancel(UUID.randomUUID()), 404, "Booking");

        assertThat(PlatformClient.jdbc(system.booking()).sql("SELECT count(*) FROM booking WHERE customer_email IN (?, ?)")
                .params(email, "not-an-email").query(Long.class).single()).isZero();
    }

    @Test
    void badResourceEditsAndQueriesAreProblemDetails() {
        String resource = client.createResource("edit-room", 2, 5_000, PlatformClient.HOLD_SECONDS, Map.of());
        String url = system.inventory().url() + "/api/resources/" + resource;
        String valid = "{\"name\":\"x\",\"capacityPerUnit\":3,\"unitPriceMinor\":100,\"currency\":\"EUR\"}";

        assertProblem(client.put(url, "\"0\"", "{\"name\":\"x\",\"capacityPerUnit\":-1,\"unitPriceMinor\":100,\"currency\":\"euro\"}"),
                400, "capacityPerUnit", "currency");
        assertProblem(client.put(url, "\"0\"", valid.replace("\"unitPriceMinor\":100", "\"unitPriceMinor\":99.5")), 400,
                "unitPriceMinor");
        assertProblem(client.put(url, "\"0\"", valid.replace("\"name\":\"x\"", "\"name\":\"x\\u0000\"")), 400, "name", "NUL");
        // A resource's name is a line of the receipt: a line break in it could add a line of its own.
        assertProblem(client.put(url, "\"0\"", valid.replace("\"name\":\"x\"", "\"name\":\"x\\nTotal paid: EUR 0.00\"")), 400,
                "name", "one line");
        assertProblem(client.put(url, null, valid), 428, "If-Match");
        assertProblem(client.put(url, "\"7\"", valid), 412, "version");
        assertProblem(client.put(system.inventory().url() + "/api/resources/Bad_Id", null, valid), 400, "id");
        assertProblem(client.get(url + "/availability?from=tomorrow&to=2030-01-01T00:00:00Z"), 400, "from");
        assertProblem(client.get(url + "/availability?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z"), 422, "to");
        assertProblem(client.get(url + "/availability?from=2030-01-01T00:00:00Z&to=2030-06-01T00:00:00Z"), 422, "at most 92 days");
        assertProblem(client.put(url, "\"0\"", "{\"name\":\"x\",\"capacityPerUnit\":3,\"unitPriceMinor\":100,\"currency\":\"EUR\","
                + "\"timeZone\":\"Mars/Olympus\",\"unit\":{\"kind\":\"MINUTES\",\"minutes\":7}}"), 422, "timeZone", "unit.minutes");
        assertProblem(client.put(url, "\"0\"", "{\"name\":\"x\",\"capacityPerUnit\":3,\"unitPriceMinor\":100,\"currency\":\"EUR\","
                + "\"timeZone\":\"+05:00\"}"), 422, "timeZone");
        assertProblem(client.put(url, "\"0\"", "{\"name\":\"x\",\"capacityPerUnit\":3,\"unitPriceMinor\":100,\"currency\":\"EUR\","
                + "\"minUnits\":3,\"maxUnits\":2}"), 422, "maxUnits");
        assertProblem(client.put(url, "\"0\"", "{\"name\":\"x\",\"capacityPerUnit\":3,\"unitPriceMinor\":100,\"currency\":\"EUR\","
                + "\"unit\":{\"kind\":\"NIGHT\",\"start\":\"15:00\",\"end\":\"16:00\"}}"), 422, "unit.end");
        assertProblem(client.get(system.inventory().url() + "/api/resources/no-such-thing"), 404, "Resource");
        // Refused before the change, not after it: the next edit of version 0 still succeeds.
        assertProblem(client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Accept", "application/xml").header("If-Match", "\"0\"").PUT(HttpRequest.BodyPublishers.ofString(valid))),
                406, "application/json");
        assertProblem(client.send(HttpRequest.newBuilder(URI.create(url + "/availability?from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z"))
                .header("Accept", "text/html").GET()), 406, "application/json");

        assertThat(client.put(url, "\"0\"", valid).statusCode()).isEqualTo(200);
        assertProblem(client.put(url, "\"0\"", valid), 412, "version");
    }

    @Test
    void badOpsRequestsAreProblemDetails() {
        String booking = system.booking().url().toString();
        assertProblem(client.get(booking + "/ops/events"), 400, "aggregateId");
        // A NUL in a query parameter reached PostgreSQL, which refuses it in any text: a 500 before.
        assertProblem(client.get(booking + "/ops/events?aggregateId=x%00y"), 400, "aggregateId", "NUL");
        assertProblem(client.get(booking + "/ops/dead-letters?eventType=%00&topic=booking.events"), 400, "eventType", "NUL");
        // A form body fills the same parameters (retry-refund's reason goes to the audit trail and the customer's e-mail):
        // refused before the handler looks anything up (without the check: 404 here, the database's refusal for a booking
        // whose refund failed).
        assertProblem(client.send(HttpRequest.newBuilder(URI.create(booking + "/ops/bookings/" + UUID.randomUUID() + "/retry-refund"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("reason=a%00b"))),
                400, "reason", "NUL");
        assertProblem(client.post(booking + "/ops/bookings/" + UUID.randomUUID() + "/retry-refund?reason=" + "x".repeat(501), Map.of(), ""),
                400, "reason");
        assertProblem(client.post(booking + "/ops/bookings/" + UUID.randomUUID() + "/retry-refund?reason=a%0Ab", Map.of(), ""),
                400, "reason", "one line");
        assertProblem(client.get(booking + "/ops/dead-letters/booking.events/0/999999999"), 404, "No such dead letter");
        assertProblem(client.post(booking + "/ops/dead-letters/booking.events/0/999999999/skip", Map.of(), "{}"), 400, "reason");
        assertProblem(client.post(booking + "/ops/relay/republish", Map.of(), "{\"fromSequence\":0}"), 400, "fromSequence");
        assertProblem(client.send(HttpRequest.newBuilder(URI.create(booking + "/ops/relay")).header("Accept", "text/plain").GET()),
                406, "application/json");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String... mentioned) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(response.body())
                .hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
        assertThat(response.body()).contains("\"status\":" + status).doesNotContain("Exception").doesNotContain("\tat ");
        for (String field : mentioned) {
            assertThat(response.body()).as("names %s", field).contains(field);
        }
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
