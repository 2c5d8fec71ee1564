package dev.bookingplatform.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure on request: after {@code POST /ops/customers/erasure}, no table of any service holds that customer's
 * e-mail address or name: not in a text or JSON column, not inside a byte column (the outbox's and dead letters'
 * Avro payloads), while the bookings themselves, their prices and history, stay.
 */
@Timeout(240)
class ErasureIT {

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    @Test
    void afterAnErasureNoTableOfAnyServiceHoldsTheCustomersAddressOrName() throws Exception {
        String email = "erase-me+" + UUID.randomUUID() + "@example.com";
        String name = "Zelda Erasable " + UUID.randomUUID().toString().substring(0, 8);
        String resource = client.createResource("erasure", 5, 1_500, PlatformClient.HOLD_SECONDS, Map.of());
        // The confirmation mail is refused for good and dead-lettered; ops try a replay, quoting the customer.
        String refusal = DeadLetterOpsIT.refuse(system.notification(), "notification_log", "INSERT", "NEW.recipient = '" + email + "'");
        UUID confirmed = client.bookOk(booking(email, name, resource));
        try {
            client.pressPay(client.awaitCheckoutSession(confirmed));
            client.awaitStatus(confirmed, "CONFIRMED");
            String letters = system.notification().url() + "/ops/dead-letters?open=true&bookingId=" + confirmed;
            await().atMost(Duration.ofSeconds(90)).until(() -> PlatformClient.JSON.readTree(client.get(letters).body()).get("total").asInt() == 1);
            String path = PlatformClient.JSON.readTree(client.get(letters).body()).get("items").get(0).get("path").asString();
            HttpResponse<String> replay = client.post(system.notification().url() + path + "/replay", Map.of(),
                    "{\"reason\":\"" + name + " <" + email + "> asked for the mail again\"}");
            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
            assertThat(PlatformClient.JSON.readTree(replay.body()).get("outcome").get("result").asString()).isEqualTo("FAILED");
        }
        finally {
            DeadLetterOpsIT.fix(system.notification(), refusal, "notification_log");
        }
        UUID cancelled = client.bookOk(booking(email.toUpperCase(java.util.Locale.ROOT), name, resource));
        client.awaitCheckoutSession(cancelled);
        assertThat(client.cancel(cancelled).statusCode()).isEqualTo(202);
        client.awaitStatus(cancelled, "CANCELLED");
        await().until(() -> client.mailsTo(email.toUpperCase(java.util.Locale.ROOT)).size() >= 1);
        // Another customer's data stays.
        String other = "keep-me+" + UUID.randomUUID() + "@example.com";
        UUID kept = client.bookOk(booking(other, "Keep Me", resource));
        client.awaitCheckoutSession(kept);
        assertThat(holders(email)).as("before: the address is everywhere").isNotEmpty();

        HttpResponse<String> erased = client.post(system.booking().url() + "/ops/customers/erasure", Map.of(),
                "{\"email\":\"" + email + "\",\"reason\":\"GDPR art. 17 request #42\"}");

        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        assertThat(PlatformClient.JSON.readTree(erased.body()).get("bookings")).hasSize(2);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(holders(email)).as("tables still holding the address").isEmpty();
            assertThat(holders(email.toUpperCase(java.util.Locale.ROOT))).as("the address as typed the second time").isEmpty();
            assertThat(holders(name)).as("tables still holding the name").isEmpty();
        });
        assertThat(client.booking(confirmed).get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(client.booking(confirmed).get("totalMinor").asLong()).isEqualTo(1_500);
        assertThat(holders(other)).as("another customer's data stays").isNotEmpty();
        assertThat(PlatformClient.jdbc(system.booking()).sql("SELECT bookings FROM customer_erasure WHERE requested_by = ?"
                + " ORDER BY requested_at DESC LIMIT 1").param("system-tests-gateway").query(Integer.class).single()).isEqualTo(2);
    }

    private static String booking(String email, String name, String resource) {
        return PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, "").replace("Ada Lovelace", name);
    }

    /** "service.table" of every row in any service's database holding {@code text}, as text or as bytes. */
    static List<String> holders(String text) {
        List<String> found = new ArrayList<>();
        for (RunningService service : system.services()) {
            JdbcClient jdbc = PlatformClient.jdbc(service);
            List<String> tables = jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " AND table_type = 'BASE TABLE'").query(String.class).list();
            for (String table : tables) {
                long asText = jdbc.sql("SELECT count(*) FROM \"" + table + "\" t WHERE lower(t::text) LIKE '%' || lower(?) || '%'")
                        .param(text).query(Long.class).single();
                List<String> byteColumns = jdbc.sql("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                        + " AND table_name = ? AND data_type = 'bytea'").param(table).query(String.class).list();
                long asBytes = 0;
                for (String column : byteColumns) {
                    asBytes += jdbc.sql("SELECT count(*) FROM \"" + table + "\" WHERE position(convert_to(?, 'UTF8') in \"" + column
                            + "\") > 0").param(text).query(Long.class).single();
                }
                if (asText + asBytes > 0) {
                    found.add(service.name() + "." + table + " (" + (asText + asBytes) + ")");
                }
            }
        }
        return found;
    }
}
