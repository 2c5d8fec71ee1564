package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import tools.jackson.databind.JsonNode;

import dev.bookingplatform.localstack.system.BookingSystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consistency monitor of the ops tool: bookings that settled right (confirmed, cancelled with a refund, cancelled
 * unpaid, expired) pass; one wrong row planted in one service's database is found, alone, under its rule (each of the
 * five rules in turn), and counted on the monitor's {@code /metrics}; the same mismatch younger than the grace period
 * is not reported yet.
 */
@Timeout(300)
class ConsistencyMonitorIT {

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    @Test
    void aMismatchPlantedInOneServiceIsFoundAndOnlyThatOne() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        String resource = client.createResource("consistency", 5, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        // First, while nothing else of this test waits for payment: a booking whose hold runs out, as the clock says.
        UUID expired = book(resource);
        client.awaitCheckoutSession(expired);
        TheSystem.clock().advance(Duration.ofSeconds(PlatformClient.HOLD_SECONDS + 60));
        client.awaitStatus(expired, "EXPIRED");
        await().atMost(Duration.ofSeconds(60)).until(() -> PlatformClient.jdbc(system.payment())
                .sql("SELECT status FROM payment_session WHERE booking_id = ?").param(expired).query(String.class)
                .optional().orElse(""), "EXPIRED"::equals);
        UUID confirmed = book(resource);
        client.pressPay(client.awaitCheckoutSession(confirmed));
        UUID refunded = book(resource);
        client.pressPay(client.awaitCheckoutSession(refunded));
        UUID unpaid = book(resource);
        client.awaitCheckoutSession(unpaid);
        client.awaitStatus(confirmed, "CONFIRMED");
        client.awaitStatus(refunded, "CONFIRMED");
        assertThat(client.cancel(refunded).statusCode()).isEqualTo(202);
        assertThat(client.cancel(unpaid).statusCode()).isEqualTo(202);
        client.awaitStatus(refunded, "CANCELLED");
        client.awaitStatus(unpaid, "CANCELLED");
        await().atMost(Duration.ofSeconds(60)).until(() -> PlatformClient.jdbc(system.payment())
                .sql("SELECT refund_status FROM payment_session WHERE booking_id = ?").param(refunded).query(String.class)
                .optional().orElse(""), "SUCCEEDED"::equals);

        JsonNode clean = check(since, "0s");
        assertThat(clean.get("unreachable").size()).isZero();
        assertThat(ids(clean.get("mismatches"))).as("mismatches of bookings that settled right").doesNotContain(
                confirmed.toString(), refunded.toString(), unpaid.toString(), expired.toString());
        assertThat(clean.get("checked").asInt()).as("bookings checked").isGreaterThanOrEqualTo(4);

        unitsOfABookingConfirmedOnlyInBookingServiceAreFound(since, refunded);
        theMoneyOfAConfirmedBookingGoneIsFound(since, confirmed);
        unitsStillTakenForAnEndedBookingAreFound(since, resource);

        // payment-service's record of the refund says it failed, while booking-service says CANCELLED (refunded): the
        // kind of drift no event will ever mend. (Inventory's own constraints refuse a hold without its units.)
        int changed = PlatformClient.jdbc(system.payment()).sql("UPDATE payment_session SET refund_status = 'FAILED' WHERE booking_id = ?")
                .param(refunded).update();
        assertThat(changed).isOne();
        try {
            JsonNode found = check(since, "0s");
            assertOnlyThisMismatch(found, refunded, "ENDED_PAID_NOT_REFUNDED");
            JsonNode planted = mismatchOf(found, refunded);
            assertThat(planted.get("rule").asString()).isEqualTo("ENDED_PAID_NOT_REFUNDED");
            assertThat(planted.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(ids(found.get("mismatches"))).doesNotContain(confirmed.toString(), unpaid.toString());

            assertThat(ids(check(since, "1h").get("mismatches"))).as("younger than the grace period").doesNotContain(refunded.toString());

            OpsCliIT.Run table = OpsCliIT.cli(OpsCliIT.withServices("consistency", "--since", since.toString(), "--grace", "0s"));
            assertThat(table.status()).as(table.output()).isEqualTo(1);
            assertThat(table.output()).contains(refunded.toString(), "ENDED_PAID_NOT_REFUNDED");

            assertTheMonitorCounts(since);
            pagesThroughBookingsThatSettledAtTheSameInstant(List.of(confirmed, refunded, unpaid), refunded);
            keepsAMismatchAfterItLeavesTheWindowUntilItIsMended(refunded);
        }
        finally {
            PlatformClient.jdbc(system.payment()).sql("UPDATE payment_session SET refund_status = 'SUCCEEDED' WHERE booking_id = ?")
                    .param(refunded).update();
        }
        assertThat(ids(check(since, "0s").get("mismatches"))).as("mended").doesNotContain(refunded.toString());

        // booking-service says the refund was refused, payment-service says it went through: the PaymentRefunded that
        // would have ended the booking is what went missing.
        PlatformClient.jdbc(system.booking()).sql("UPDATE booking SET status = 'REFUND_FAILED', updated_at = now() WHERE id = ?")
                .param(refunded).update();
        try {
            JsonNode found = check(since, "0s");
            JsonNode planted = mismatchOf(found, refunded);
            assertThat(planted.get("rule").asString()).isEqualTo("REFUND_FAILED_DISAGREES");
            assertThat(ids(found.get("mismatches"))).as("only the planted one of this test's bookings").doesNotContain(
                    confirmed.toString(), unpaid.toString()).containsOnlyOnce(refunded.toString());
        }
        finally {
            PlatformClient.jdbc(system.booking()).sql("UPDATE booking SET status = 'CANCELLED' WHERE id = ?").param(refunded).update();
        }
    }

    /**
     * booking-service holds confirmed a booking whose hold inventory released (and whose payment was refunded): its
     * BookingCancelled lost. (Inventory's own constraints refuse a live hold without its units, so the drift is planted
     * on booking-service's side.)
     */
    private static void unitsOfABookingConfirmedOnlyInBookingServiceAreFound(Instant since, UUID released) throws Exception {
        var booking = PlatformClient.jdbc(system.booking());
        booking.sql("UPDATE booking SET status = 'CONFIRMED' WHERE id = ?").param(released).update();
        try {
            assertOnlyThisMismatch(check(since, "0s"), released, "CONFIRMED_WITHOUT_UNITS");
        }
        finally {
            booking.sql("UPDATE booking SET status = 'CANCELLED' WHERE id = ?").param(released).update();
        }
        assertThat(ids(check(since, "0s").get("mismatches"))).as("cancelled again").doesNotContain(released.toString());
    }

    /** payment-service forgot the payment of a booking confirmed everywhere else. */
    private static void theMoneyOfAConfirmedBookingGoneIsFound(Instant since, UUID confirmed) throws Exception {
        var payment = PlatformClient.jdbc(system.payment());
        String intent = payment.sql("SELECT payment_intent_id FROM payment_session WHERE booking_id = ?").param(confirmed)
                .query(String.class).single();
        payment.sql("UPDATE payment_session SET payment_intent_id = NULL WHERE booking_id = ?").param(confirmed).update();
        try {
            assertOnlyThisMismatch(check(since, "0s"), confirmed, "CONFIRMED_UNPAID");
        }
        finally {
            payment.sql("UPDATE payment_session SET payment_intent_id = ? WHERE booking_id = ?").params(intent, confirmed).update();
        }
        assertThat(ids(check(since, "0s").get("mismatches"))).as("payment back").doesNotContain(confirmed.toString());
    }

    /**
     * booking-service holds expired a booking whose hold inventory still keeps (its release lost). Inventory's own
     * constraints refuse units for a released hold, so this drift too is planted on booking-service's side, on a
     * booking still awaiting payment; then that booking is cancelled for real.
     */
    private static void unitsStillTakenForAnEndedBookingAreFound(Instant since, String resource) throws Exception {
        UUID awaiting = book(resource);
        client.awaitCheckoutSession(awaiting);
        var booking = PlatformClient.jdbc(system.booking());
        booking.sql("UPDATE booking SET status = 'EXPIRED' WHERE id = ?").param(awaiting).update();
        try {
            JsonNode found = check(since, "0s");
            assertOnlyThisMismatch(found, awaiting, "ENDED_WITH_UNITS");
            assertThat(mismatchOf(found, awaiting).get("status").asString()).isEqualTo("EXPIRED");
        }
        finally {
            booking.sql("UPDATE booking SET status = 'AWAITING_PAYMENT' WHERE id = ?").param(awaiting).update();
        }
        assertThat(client.cancel(awaiting).statusCode()).isEqualTo(202);
        client.awaitStatus(awaiting, "CANCELLED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(check(since, "0s").get("mismatches")))
                .as("released for real").doesNotContain(awaiting.toString()));
    }

    /**
     * Among this test's own bookings, exactly one mismatch: {@code booking}'s, under {@code rule}. Others' bookings are
     * left out: the clock this test moves expires what earlier scenarios left unpaid, and one settling while this runs
     * may disagree for a moment (grace 0 s).
     */
    private static void assertOnlyThisMismatch(JsonNode found, UUID booking, String rule) {
        List<String> ofOurs = new ArrayList<>();
        found.get("mismatches").forEach(mismatch -> {
            if (OURS.contains(mismatch.get("bookingId").asString())) {
                ofOurs.add(mismatch.get("bookingId").asString() + " " + mismatch.get("rule").asString());
            }
        });
        assertThat(ofOurs).as("mismatches of this test's bookings").containsExactly(booking + " " + rule);
    }

    /**
     * Pages of one booking while three settled in the same microsecond (a bulk update, a replay of many events in one
     * transaction): a page that starts at the last one's time alone would read the first of them forever.
     */
    private static void pagesThroughBookingsThatSettledAtTheSameInstant(List<UUID> bookings, UUID mismatched) throws Exception {
        Instant sameInstant = Instant.now().minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (UUID booking : bookings) {
            PlatformClient.jdbc(system.booking()).sql("UPDATE booking SET updated_at = ? WHERE id = ?")
                    .params(java.sql.Timestamp.from(sameInstant), booking).update();
        }
        OpsCliIT.Run run = OpsCliIT.cli(OpsCliIT.withServices("consistency", "--since", sameInstant.toString(), "--grace", "0s",
                "--page-size", "1", "--json"));
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        JsonNode report = PlatformClient.JSON.readTree(run.output());
        assertThat(report.get("checked").asInt()).as("bookings read one page at a time").isGreaterThanOrEqualTo(bookings.size());
        assertThat(ids(report.get("mismatches"))).contains(mismatched.toString());
    }

    /**
     * A mismatch nobody mended stays listed after it settled longer ago than the window, and goes only when a check
     * finds its services agreeing again: the alert must not resolve itself by the calendar.
     */
    private static void keepsAMismatchAfterItLeavesTheWindowUntilItIsMended(UUID mismatched) throws Exception {
        PlatformClient.jdbc(system.booking()).sql("UPDATE booking SET updated_at = now() WHERE id = ?").param(mismatched).update();
        Instant settled = PlatformClient.jdbc(system.booking()).sql("SELECT updated_at FROM booking WHERE id = ?").param(mismatched)
                .query(java.sql.Timestamp.class).single().toInstant();
        try (OpsCliIT.Server server = OpsCliIT.serve("--window", "10s", "--grace", "0s", "--check-every", "1s")) {
            HttpClient http = HttpClient.newHttpClient();
            URI report = URI.create(server.url() + "consistency.json");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(lastReport(http, report).get("mismatches")))
                    .contains(mismatched.toString()));
            JsonNode later = await().atMost(Duration.ofSeconds(60)).until(() -> lastReport(http, report),
                    checked -> Instant.parse(checked.get("from").asString()).isAfter(settled));
            assertThat(ids(later.get("mismatches"))).as("a check whose window starts after it settled").contains(mismatched.toString());

            PlatformClient.jdbc(system.payment()).sql("UPDATE payment_session SET refund_status = 'SUCCEEDED' WHERE booking_id = ?")
                    .param(mismatched).update();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(lastReport(http, report).get("mismatches")))
                    .as("mended, so no longer carried").doesNotContain(mismatched.toString()));
        }
    }

    private static JsonNode lastReport(HttpClient http, URI report) throws Exception {
        return PlatformClient.JSON.readTree(http.send(HttpRequest.newBuilder(report).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void assertTheMonitorCounts(Instant since) throws Exception {
        // Bound as beside Prometheus: off the loopback address only the counts answer, never a report or a timeline.
        try (OpsCliIT.Server server = OpsCliIT.serve("--bind", "0.0.0.0", "--since", since.toString(), "--grace", "0s",
                "--check-every", "1s")) {
            String url = server.url();
            HttpClient http = HttpClient.newHttpClient();
            for (String withheld : List.of("", "consistency.json", "timeline.json?booking=" + UUID.randomUUID())) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(url + withheld)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).as("/%s off the loopback address", withheld).isEqualTo(404);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                PrometheusScrape scrape = PrometheusScrape.parse(metrics);
                assertThat(scrape.sum("ops_consistency_mismatches", Map.of())).as("every rule's count").isGreaterThanOrEqualTo(1);
                assertThat(scrape.sum("ops_consistency_mismatches", Map.of("rule", "ENDED_PAID_NOT_REFUNDED"))).isGreaterThanOrEqualTo(1);
                assertThat(scrape.sum("ops_consistency_last_success_timestamp_seconds", Map.of())).isPositive();
                for (String file : List.of("deploy/observability/prometheus-alerts.yaml", "deploy/observability/grafana-dashboard.json")) {
                    java.util.regex.Matcher named = java.util.regex.Pattern.compile("\\b(ops_consistency_[a-z_]+)")
                            .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("..").resolve(file)));
                    while (named.find()) {
                        assertThat(scrape.has(named.group(1))).as("%s names %s, which the monitor serves", file, named.group(1)).isTrue();
                    }
                }
            });
        }
    }

    private static JsonNode check(Instant since, String grace) throws Exception {
        OpsCliIT.Run run = OpsCliIT.cli(OpsCliIT.withServices("consistency", "--since", since.toString(), "--grace", grace, "--json"));
        assertThat(run.status()).as(run.output()).isIn(0, 1);
        return PlatformClient.JSON.readTree(run.output());
    }

    private static JsonNode mismatchOf(JsonNode report, UUID booking) {
        for (JsonNode mismatch : report.get("mismatches")) {
            if (mismatch.get("bookingId").asString().equals(booking.toString())) {
                return mismatch;
            }
        }
        throw new AssertionError("no mismatch of " + booking + " in " + report);
    }

    private static List<String> ids(JsonNode mismatches) {
        List<String> ids = new ArrayList<>();
        mismatches.forEach(mismatch -> ids.add(mismatch.get("bookingId").asString()));
        return ids;
    }

    /** This test's bookings, the only ones whose mismatches it counts. */
    private static final java.util.Set<String> OURS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static UUID book(String resource) {
        return remembered(client.bookOk(PlatformClient.bookingJson("consistency+" + UUID.randomUUID() + "@example.com", resource,
                PlatformClient.freshSlot(), 1, "")));
    }

    private static UUID remembered(UUID booking) {
        OURS.add(booking.toString());
        return booking;
    }
}
