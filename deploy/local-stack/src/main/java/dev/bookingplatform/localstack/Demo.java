package dev.bookingplatform.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.web.security.Scopes;

/**
 * {@code --demo}: four customers go through the public API and the simulator's checkout page, as a gateway
 * and a browser would, and each saga's end is printed. Slots are picked at random next year, so a demo run
 * on a kept data directory does not collide with an earlier one.
 */
final class Demo {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(60);

    private static final ZoneId LISBON = ZoneId.of("Europe/Lisbon");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BookingSystem system;

    private final PrintStream out;

    private final String customerToken;

    Demo(BookingSystem system, PrintStream out) {
        this.system = system;
        this.out = out;
        this.customerToken = system.tokens().issue("demo-customer", Duration.ofHours(1), Scopes.BOOKINGS_READ, Scopes.BOOKINGS_WRITE);
    }

    void run() {
        out.println();
        out.println("Demo: four bookings through the public API");
        LocalDate day = randomDayNextYear();
        // The seeded resources are booked in Lisbon time: a night from 15:00 to 11:00, the court by the hour,
        // the tour from 10:00 to 13:00.
        Instant checkIn = lisbon(day, 15);
        Instant checkOut = lisbon(day.plusDays(1), 11);

        String paid = book("harbour-view-room", "paid@example.com", checkIn, checkOut);
        pay(paid);
        report("paid", paid, awaitStatus(paid, "CONFIRMED"));

        // A declined card ends nothing: Checkout keeps the session open, and the customer tries another card.
        String declined = book("harbour-view-room", "declined@example.com", checkIn, checkOut);
        String declinedSession = sessionOf(declined);
        press(declinedSession, "decline");
        await("the decline of " + declined + " to be recorded", () -> Optional.of(booking(declined))
                .filter(booking -> booking.get("payment").get("declinedAttempts").asInt() == 1));
        press(declinedSession, "pay");
        report("declined, then paid", declined, awaitStatus(declined, "CONFIRMED"));

        Instant court = lisbon(randomDayNextYear(), 10);
        String holder = book("tennis-court-1", "first@example.com", court, court.plus(Duration.ofHours(1)));
        awaitStatus(holder, "AWAITING_PAYMENT");
        String soldOut = book("tennis-court-1", "second@example.com", court, court.plus(Duration.ofHours(1)));
        report("sold out", soldOut, awaitStatus(soldOut, "REJECTED"));
        out.printf("    (the court's one place is held for booking %s until it is paid or its hold expires)%n", holder);

        String refunded = book("old-town-walking-tour", "refund@example.com", lisbon(day, 10), lisbon(day, 13));
        pay(refunded);
        awaitStatus(refunded, "CONFIRMED");
        send(HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings/" + refunded + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        report("cancelled after payment", refunded, awaitStatus(refunded, "CANCELLED"));
        out.printf("Stripe refunds issued: %d; mail sent: %d (see the mail page)%n", system.stripe().refunds().size(),
                system.smtp().getReceivedMessages().length);
    }

    private String book(String resourceId, String email, Instant slotStart, Instant slotEnd) {
        String body = """
                {"customerEmail":"%s","customerName":"Demo Customer","resourceId":"%s","slotStart":"%s","slotEnd":"%s","quantity":1}"""
                .formatted(email, resourceId, slotStart, slotEnd);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("The demo booking was refused (" + response.statusCode() + "): " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asString();
    }

    private void pay(String bookingId) {
        press(sessionOf(bookingId), "pay");
    }

    /** The Stripe session id at the end of the booking's checkout URL, once payment-service has one. */
    private String sessionOf(String bookingId) {
        String checkoutUrl = await("a checkout URL for " + bookingId, () -> Optional.ofNullable(booking(bookingId).get("checkoutUrl"))
                .filter(JsonNode::isString).map(JsonNode::asString));
        return checkoutUrl.substring(checkoutUrl.lastIndexOf('/') + 1);
    }

    /** What the customer's browser does on the simulator's checkout page. */
    private void press(String sessionId, String button) {
        send(HttpRequest.newBuilder(URI.create(system.stripe().apiBase() + "/checkout/" + sessionId + "/" + button))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode awaitStatus(String bookingId, String status) {
        return await(bookingId + " to be " + status, () -> Optional.of(booking(bookingId))
                .filter(booking -> status.equals(booking.get("status").asString())));
    }

    private JsonNode booking(String bookingId) {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings/" + bookingId))
                .GET()).body());
    }

    private void report(String story, String bookingId, JsonNode booking) {
        JsonNode reason = booking.get("reason");
        out.printf("  %-24s %-10s booking %s%s%n", story, booking.get("status").asString(), bookingId,
                reason != null && reason.isString() ? " (" + reason.asString() + ")" : "");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(10)).build();
            if (built.uri().toString().startsWith(system.booking().url().toString())) {
                built = HttpRequest.newBuilder(built, (name, value) -> true)
                        .header("Authorization", "Bearer " + customerToken).build();
            }
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }

    /** Polls the public API, as a client of an asynchronous saga must, until {@code probe} has an answer. */
    private static <T> T await(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + SAGA_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> answer = probe.get();
            if (answer.isPresent()) {
                return answer.get();
            }
            try {
                Thread.sleep(200);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, ex);
            }
        }
        throw new IllegalStateException("Gave up waiting for " + what + " after " + SAGA_TIMEOUT.toSeconds() + " s");
    }

    private static LocalDate randomDayNextYear() {
        return LocalDate.now(LISBON).plusDays(365 + ThreadLocalRandom.current().nextInt(0, 300));
    }

    private static Instant lisbon(LocalDate day, int hour) {
        return day.atTime(hour, 0).atZone(LISBON).toInstant();
    }
}
