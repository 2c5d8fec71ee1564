package dev.bookingplatform.system;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import tools.jackson.databind.JsonNode;

import dev.bookingplatform.localstack.system.BookingSystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11, the four court bookings a new user tried on a capacity-1 court: 10:00-11:00, 10:00:01-11:00:01,
 * 10:30-11:30 and 09:00-12:00. The misaligned two never enter the saga; of the aligned two, which overlap
 * in the 10:00 hour, exactly one holds the court and the other is rejected naming that hour.
 */
@Timeout(180)
class OverlappingRangesIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void overlappingRangesOnACapacityOneCourtHoldItOnce() {
        String court = client.createResource("court", PlatformClient.HOURLY_COURT);
        String email = "overlap+" + UUID.randomUUID() + "@example.com";

        for (String[] misaligned : List.of(new String[] { "2030-07-01T10:00:01Z", "2030-07-01T11:00:01Z" },
                new String[] { "2030-07-01T10:30:00Z", "2030-07-01T11:30:00Z" })) {
            HttpResponse<String> refused = client.book(UUID.randomUUID().toString(), PlatformClient.bookingJson(email, court,
                    Instant.parse(misaligned[0]), Instant.parse(misaligned[1]), 1, ""));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains("slotStart").contains("slotEnd").contains("must be on the hour (Europe/Lisbon time)");
        }
        assertThat(PlatformClient.jdbc(system.booking()).sql("SELECT count(*) FROM booking WHERE customer_email = ?").param(email)
                .query(Long.class).single()).as("a misaligned range writes nothing").isZero();

        CompletableFuture<UUID> hour = CompletableFuture.supplyAsync(() -> client.bookOk(PlatformClient.bookingJson(email, court,
                Instant.parse("2030-07-01T10:00:00Z"), Instant.parse("2030-07-01T11:00:00Z"), 1, "")));
        CompletableFuture<UUID> threeHours = CompletableFuture.supplyAsync(() -> client.bookOk(PlatformClient.bookingJson(email,
                court, Instant.parse("2030-07-01T09:00:00Z"), Instant.parse("2030-07-01T12:00:00Z"), 1, "")));
        List<UUID> ids = List.of(hour.join(), threeHours.join());
        await().until(() -> ids.stream().map(id -> client.booking(id).get("status").asString())
                .allMatch(status -> status.equals("AWAITING_PAYMENT") || status.equals("REJECTED")));

        List<JsonNode> bookings = ids.stream().map(client::booking).toList();
        assertThat(bookings).extracting(booking -> booking.get("status").asString())
                .containsExactlyInAnyOrder("AWAITING_PAYMENT", "REJECTED");
        JsonNode holder = bookings.stream().filter(b -> b.get("status").asString().equals("AWAITING_PAYMENT")).findFirst().orElseThrow();
        JsonNode rejected = bookings.stream().filter(b -> b.get("status").asString().equals("REJECTED")).findFirst().orElseThrow();
        assertThat(rejected.get("reason").asString()).contains("hour from 2030-07-01T10:00:00Z").contains("0 of 1 left");

        long hoursHeld = holder.get("slotEnd").asString().equals("2030-07-01T12:00:00Z") ? 3 : 1;
        assertThat(client.taken(court)).as("units held of the court").isEqualTo((int) hoursHeld);
        assertThat(holder.get("totalMinor").asLong()).as("priced per hour").isEqualTo(hoursHeld * 2_000);
        assertThat(holder.get("lineItems").get(0).get("units").asInt()).isEqualTo(hoursHeld);
        assertThat(heldAt(court, "2030-07-01T10:00:00Z")).isEqualTo(1);

        JsonNode availability = PlatformClient.JSON.readTree(client.get(system.inventory().url() + "/api/resources/" + court
                + "/availability?from=2030-07-01T08:00:00Z&to=2030-07-01T13:00:00Z").body());
        assertThat(availability.get("units")).hasSize(5);
        assertThat(availability.get("units").get(2).get("start").asString()).isEqualTo("2030-07-01T10:00:00Z");
        assertThat(availability.get("units").get(2).get("available").asInt()).isZero();
        assertThat(availability.get("units").get(0).get("available").asInt()).isEqualTo(1);

        // Edits that would strand the holder are refused, naming the unit.
        String url = system.inventory().url() + "/api/resources/" + court;
        long version = PlatformClient.JSON.readTree(client.get(url).body()).get("version").asLong();
        String ifMatch = "\"" + version + "\"";
        HttpResponse<String> cut = client.put(url, ifMatch,
                PlatformClient.HOURLY_COURT.replace("\"capacityPerUnit\":1", "\"capacityPerUnit\":0"));
        assertThat(cut.statusCode()).as(cut.body()).isEqualTo(409);
        assertThat(cut.body()).contains(hoursHeld == 3 ? "2030-07-01T09:00:00Z" : "2030-07-01T10:00:00Z");
        HttpResponse<String> newUnit = client.put(url, ifMatch, PlatformClient.HOURLY_COURT.replace("\"minutes\":60", "\"minutes\":30"));
        assertThat(newUnit.statusCode()).as(newUnit.body()).isEqualTo(409);
        assertThat(newUnit.body()).contains("unit and time zone cannot change");
        assertThat(client.taken(court)).isEqualTo((int) hoursHeld);
    }

    private int heldAt(String resource, String unitStart) {
        return PlatformClient.jdbc(system.inventory()).sql("SELECT held FROM unit_stock WHERE resource_id = ? AND unit_start = ?::timestamptz")
                .params(resource, unitStart).query(Integer.class).single();
    }
}
