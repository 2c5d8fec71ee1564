package dev.bookingplatform.system;

import java.time.Instant;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import tools.jackson.databind.JsonNode;

import dev.bookingplatform.localstack.system.BookingSystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11: a booking costs its unit price times its units times its quantity, plus add-ons per booking
 * or per unit; the line items show the unit count and the receipt lists it. A night across the end of
 * summer time is one night, priced once.
 */
@Timeout(180)
class PricesByDurationIT {

    /** Nights in Lisbon, check-in 15:00 (14:00Z in summer), check-out 11:00; breakfast each night, late check-out once. */
    private static final String ROOM = """
            {"name":"Sea room","capacityPerUnit":2,"unitPriceMinor":12000,"currency":"EUR","holdDurationSeconds":2400,
             "timeZone":"Europe/Lisbon","unit":{"kind":"NIGHT","start":"15:00","end":"11:00"},"minUnits":1,"maxUnits":14,
             "addOns":[{"id":"breakfast","name":"Breakfast","unitPriceMinor":2400,"pricing":"PER_UNIT"},
                       {"id":"late-checkout","name":"Late check-out","unitPriceMinor":3000,"pricing":"PER_BOOKING"}]}""";

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void aThreeNightStayCostsThreeNightsAndTheReceiptSaysSo() throws Exception {
        String room = client.createResource("sea-room", ROOM);
        String email = "stay+" + UUID.randomUUID() + "@example.com";

        UUID id = client.bookOk(PlatformClient.bookingJson(email, room, Instant.parse("2030-08-01T14:00:00Z"),
                Instant.parse("2030-08-04T10:00:00Z"), 1,
                "{\"addOnId\":\"breakfast\",\"quantity\":1},{\"addOnId\":\"late-checkout\",\"quantity\":1}"));
        client.pressPay(client.awaitCheckoutSession(id));
        JsonNode confirmed = client.awaitStatus(id, "CONFIRMED");

        assertThat(confirmed.get("totalMinor").asLong()).isEqualTo(3 * 12_000 + 3 * 2_400 + 3_000);
        JsonNode lines = confirmed.get("lineItems");
        assertThat(lines.get(0).get("units").asInt()).isEqualTo(3);
        assertThat(lines.get(0).get("unitName").asString()).isEqualTo("night");
        assertThat(lines.get(0).get("totalMinor").asLong()).isEqualTo(36_000);
        assertThat(lines.get(1).get("units").asInt()).isEqualTo(3);
        assertThat(lines.get(2).get("units").asInt()).isEqualTo(1);
        assertThat(lines.get(2).get("unitName").isNull()).isTrue();
        assertThat(client.taken(room)).isEqualTo(3);

        await().until(() -> client.mailsTo(email).size() == 1);
        MimeMessage receipt = client.mailsTo(email).get(0);
        assertThat(receipt.getContent().toString()).contains("x 3 nights =   EUR 360.00").contains("Total paid: EUR 462.00");
    }

    @Test
    void aTwoHourCourtCostsTwoHours() {
        String court = client.createResource("clay-court", PlatformClient.HOURLY_COURT);

        UUID id = client.bookOk(PlatformClient.bookingJson("court+" + UUID.randomUUID() + "@example.com", court,
                Instant.parse("2030-09-01T16:00:00Z"), Instant.parse("2030-09-01T18:00:00Z"), 1, ""));
        JsonNode awaiting = client.awaitStatus(id, "AWAITING_PAYMENT");

        assertThat(awaiting.get("totalMinor").asLong()).isEqualTo(4_000);
        assertThat(awaiting.get("lineItems").get(0).get("units").asInt()).isEqualTo(2);
        assertThat(awaiting.get("lineItems").get(0).get("unitName").asString()).isEqualTo("hour");
        assertThat(system.stripe().session(client.awaitCheckoutSession(id)).orElseThrow().amountTotal()).isEqualTo(4_000);
    }

    @Test
    void aNightAcrossTheEndOfSummerTimeIsOneNightPricedOnce() {
        String room = client.createResource("dst-room", ROOM);

        // 15:00 WEST on 26 October to 11:00 WET on 27 October 2030: 21 hours of real time, one night.
        UUID id = client.bookOk(PlatformClient.bookingJson("dst+" + UUID.randomUUID() + "@example.com", room,
                Instant.parse("2030-10-26T14:00:00Z"), Instant.parse("2030-10-27T11:00:00Z"), 2, ""));
        JsonNode awaiting = client.awaitStatus(id, "AWAITING_PAYMENT");

        assertThat(awaiting.get("lineItems").get(0).get("units").asInt()).isEqualTo(1);
        assertThat(awaiting.get("totalMinor").asLong()).isEqualTo(2 * 12_000);
        assertThat(PlatformClient.jdbc(system.inventory()).sql("SELECT count(*) FROM hold_unit WHERE booking_id = ?").param(id)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(client.taken(room)).isEqualTo(2);
    }
}
