package dev.bookingplatform.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15: ops find a dead letter through {@code GET /ops/dead-letters}, fix its cause, replay it, and the saga
 * finishes, in each of the four services. The fault is a real one a release could bring: a database trigger that
 * refuses one booking's write (a bad constraint), so the handler fails for good, is dead-lettered, and succeeds
 * once the trigger is dropped. Also: a second replay and a bulk dry run change nothing; a booking whose
 * inventory step is dead-lettered is compensated through the saga (units released, one refund).
 */
@Timeout(300)
class DeadLetterOpsIT {

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    @Test
    void inventoryRefusingAHoldIsReplayedOnceFixedAndTheBookingIsConfirmed() throws Exception {
        String resource = client.createResource("dlq-inventory", 3, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String trigger = refuse(system.inventory(), "hold", "INSERT", "NEW.resource_id = '" + resource + "'");
        PrometheusScrape before = ObservabilityIT.scrape(system.inventory());
        UUID id = client.bookOk(PlatformClient.bookingJson(email(), resource, PlatformClient.freshSlot(), 1, ""));

        JsonNode letter = awaitDeadLetter(system.inventory(), id, "BookingRequested");
        assertThat(client.booking(id).get("status").asString()).isEqualTo("PENDING");
        // The right counts, not just some: one dead letter, a retry for each delivery but the last, each one failed.
        int attempts = letter.get("attempts").asInt();
        PrometheusScrape after = ObservabilityIT.scrape(system.inventory());
        Map<String, String> ofTheTopic = Map.of("topic", "booking.events", "eventType", "BookingRequested");
        assertThat(after.sum("eventing_dead_letters_total", ofTheTopic) - before.sum("eventing_dead_letters_total", ofTheTopic))
                .isEqualTo(1);
        assertThat(after.sum("eventing_consumer_retries_total", Map.of("topic", "booking.events", "kind", "fault"))
                - before.sum("eventing_consumer_retries_total", Map.of("topic", "booking.events", "kind", "fault")))
                .isEqualTo(attempts - 1);
        Map<String, String> failed = Map.of("eventType", "BookingRequested", "outcome", "failed");
        assertThat(after.sum("eventing_handler_seconds_count", failed) - before.sum("eventing_handler_seconds_count", failed))
                .isEqualTo(attempts);
        fix(system.inventory(), trigger, "hold");
        replayOnceAndAgain(system.inventory(), letter);

        client.pressPay(client.awaitCheckoutSession(id));
        client.awaitStatus(id, "CONFIRMED");
        assertThat(client.taken(resource)).isEqualTo(1);
    }

    @Test
    void bookingServiceRefusingTheConfirmationIsReplayedOnceFixed() throws Exception {
        String resource = client.createResource("dlq-booking", 3, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = email();
        String trigger = refuse(system.booking(), "booking", "UPDATE",
                "NEW.customer_email = '" + email + "' AND NEW.status = 'CONFIRMED'");
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, ""));
        client.pressPay(client.awaitCheckoutSession(id));

        JsonNode letter = awaitDeadLetter(system.booking(), id, "HoldConfirmed");
        assertThat(client.booking(id).get("status").asString()).isEqualTo("CONFIRMING");
        fix(system.booking(), trigger, "booking");
        replayOnceAndAgain(system.booking(), letter);

        client.awaitStatus(id, "CONFIRMED");
        await().until(() -> client.mailsTo(email).size() == 1);
    }

    @Test
    void paymentRefusingTheSessionIsReplayedOnceFixedAndTheCustomerPays() throws Exception {
        String resource = client.createResource("dlq-payment", 3, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = email();
        // The handler records the intent to open a session (the Stripe call runs after commit, from the intent).
        String trigger = refuse(system.payment(), "stripe_intent", "INSERT",
                "NEW.kind = 'CREATE_SESSION' AND NEW.payload ->> 'customerEmail' = '" + email + "'");
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, ""));

        JsonNode letter = awaitDeadLetter(system.payment(), id, "PaymentRequested");
        assertThat(PlatformClient.jdbc(system.payment()).sql("SELECT count(*) FROM stripe_intent WHERE booking_id = ?").param(id)
                .query(Long.class).single()).isZero();
        fix(system.payment(), trigger, "stripe_intent");
        replayOnceAndAgain(system.payment(), letter);

        client.pressPay(client.awaitCheckoutSession(id));
        client.awaitStatus(id, "CONFIRMED");
        assertThat(PlatformClient.jdbc(system.payment()).sql("SELECT count(*) FROM payment_session WHERE booking_id = ?").param(id)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void notificationRefusingTheReceiptIsReplayedOnceFixedAndOneMailGoesOut() throws Exception {
        String resource = client.createResource("dlq-mail", 3, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = email();
        String trigger = refuse(system.notification(), "notification_log", "INSERT", "NEW.recipient = '" + email + "'");
        UUID id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, ""));
        client.pressPay(client.awaitCheckoutSession(id));
        client.awaitStatus(id, "CONFIRMED");

        JsonNode letter = awaitDeadLetter(system.notification(), id, "BookingConfirmed");
        assertThat(client.mailsTo(email)).isEmpty();
        fix(system.notification(), trigger, "notification_log");
        replayOnceAndAgain(system.notification(), letter);

        await().until(() -> client.mailsTo(email).size() == 1);
    }

    @Test
    void aBookingWhoseInventoryStepIsDeadLetteredIsCompensatedThroughTheSagaWithOneRefund() throws Exception {
        String resource = client.createResource("dlq-compensate", 3, 2_500, PlatformClient.HOLD_SECONDS, Map.of());
        String trigger = refuse(system.inventory(), "hold", "UPDATE",
                "NEW.resource_id = '" + resource + "' AND NEW.status = 'CONFIRMED'");
        UUID id = client.bookOk(PlatformClient.bookingJson(email(), resource, PlatformClient.freshSlot(), 1, ""));
        client.pressPay(client.awaitCheckoutSession(id));
        JsonNode letter = awaitDeadLetter(system.inventory(), id, "BookingPaid");
        assertThat(client.booking(id).get("status").asString()).isEqualTo("CONFIRMING");
        assertThat(client.taken(resource)).isEqualTo(1);

        HttpResponse<String> skipped = client.post(system.inventory().url() + letter.get("path").asString() + "/skip", Map.of(),
                "{\"reason\":\"the hold cannot be confirmed: ending the booking\"}");
        assertThat(skipped.statusCode()).as(skipped.body()).isEqualTo(200);
        HttpResponse<String> compensated = client.post(system.booking().url() + "/ops/bookings/" + id + "/compensate", Map.of(),
                "{\"reason\":\"inventory step dead-lettered\"}");
        assertThat(compensated.statusCode()).as(compensated.body()).isEqualTo(200);
        HttpResponse<String> again = client.post(system.booking().url() + "/ops/bookings/" + id + "/compensate", Map.of(),
                "{\"reason\":\"twice\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);

        client.awaitStatus(id, "CANCELLED");
        await().until(() -> client.taken(resource) == 0);
        String paymentIntent = PlatformClient.jdbc(system.payment())
                .sql("SELECT payment_intent_id FROM payment_session WHERE booking_id = ?").param(id).query(String.class).single();
        assertThat(system.stripe().refunds()).filteredOn(refund -> refund.paymentIntent().equals(paymentIntent))
                .singleElement().satisfies(refund -> assertThat(refund.amount()).isEqualTo(2_500));
        JsonNode shown = json(client.get(system.inventory().url() + letter.get("path").asString()));
        assertThat(shown.get("status").asString()).isEqualTo("SKIPPED");
        assertThat(shown.get("actions").get(0).get("actor").asString()).isEqualTo("system-tests-gateway");
        assertThat(PlatformClient.jdbc(system.booking()).sql("SELECT count(*) FROM audit_entry WHERE action = 'booking.compensate'"
                + " AND target = ?").param(id.toString()).query(Long.class).single()).isEqualTo(1);
        fix(system.inventory(), trigger, "hold");
    }

    @Test
    void aBookingWhosePaymentIsDeadLetteredIsNotCompensatedWithoutItsRefund() throws Exception {
        String resource = client.createResource("dlq-paid", 3, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String email = email();
        String trigger = refuse(system.booking(), "booking", "UPDATE",
                "NEW.customer_email = '" + email + "' AND NEW.status = 'CONFIRMING'");
        UUID id;
        JsonNode letter;
        try {
            id = client.bookOk(PlatformClient.bookingJson(email, resource, PlatformClient.freshSlot(), 1, ""));
            client.pressPay(client.awaitCheckoutSession(id));
            letter = awaitDeadLetter(system.booking(), id, "PaymentSucceeded");
            assertThat(client.booking(id).get("status").asString()).isEqualTo("AWAITING_PAYMENT");

            HttpResponse<String> refused = client.post(system.booking().url() + "/ops/bookings/" + id + "/compensate", Map.of(),
                    "{\"reason\":\"would keep the money\"}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(refused.body()).contains(letter.get("path").asString().replace("/ops/dead-letters/", ""));
            assertThat(client.booking(id).get("status").asString()).isEqualTo("AWAITING_PAYMENT");

            // Skipping it first would open the way to that compensation, with the money kept: refused, and recorded.
            HttpResponse<String> skip = client.post(system.booking().url() + letter.get("path").asString() + "/skip", Map.of(),
                    "{\"reason\":\"trying to end the booking\"}");
            assertThat(skip.statusCode()).as(skip.body()).isEqualTo(409);
            assertThat(PlatformClient.JSON.readTree(skip.body()).get("outcome").get("result").asString()).isEqualTo("NOT_SKIPPABLE");
            JsonNode shown = json(client.get(system.booking().url() + letter.get("path").asString()));
            assertThat(shown.get("status").asString()).as("still open").isEqualTo("DEAD");
            assertThat(shown.get("actions")).anySatisfy(action -> {
                assertThat(action.get("action").asString()).isEqualTo("SKIP");
                assertThat(action.get("outcome").asString()).isEqualTo("NOT_SKIPPABLE");
            });
            assertThat(client.post(system.booking().url() + "/ops/bookings/" + id + "/compensate", Map.of(),
                    "{\"reason\":\"after the refused skip\"}").statusCode()).isEqualTo(409);
            // Nor may an erasure drop the bytes its replay needs.
            HttpResponse<String> erasure = client.post(system.booking().url() + "/ops/customers/erasure", Map.of(),
                    "{\"email\":\"" + email + "\",\"reason\":\"customer asked\"}");
            assertThat(erasure.statusCode()).as(erasure.body()).isEqualTo(409);
            assertThat(client.booking(id).get("customerEmail").asString()).as("not erased").isEqualTo(email);
        }
        finally {
            fix(system.booking(), trigger, "booking");
        }
        replayOnceAndAgain(system.booking(), letter);
        client.awaitStatus(id, "CONFIRMED");
    }

    /** Replays, sees it applied; a second replay is refused and changes nothing; a bulk dry run lists it alone. */
    private void replayOnceAndAgain(RunningService service, JsonNode letter) {
        String path = letter.get("path").asString();
        HttpResponse<String> dryRun = client.post(service.url() + "/ops/dead-letters/replay", Map.of(),
                "{\"dryRun\":true,\"reason\":\"what would go\",\"bookingId\":\"" + letter.get("bookingId").asString() + "\"}");
        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
        assertThat(json(dryRun).get("matched").asInt()).isEqualTo(1);
        assertThat(json(dryRun).get("items").get(0).get("path").asString()).isEqualTo(path);
        assertThat(json(client.get(service.url() + path)).get("status").asString()).as("a dry run changes nothing").isEqualTo("DEAD");

        HttpResponse<String> replayed = client.post(service.url() + path + "/replay", Map.of(), "{\"reason\":\"trigger dropped\"}");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(json(replayed).get("outcome").get("result").asString()).isEqualTo("APPLIED");
        HttpResponse<String> second = client.post(service.url() + path + "/replay", Map.of(), "{\"reason\":\"again\"}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        JsonNode shown = json(client.get(service.url() + path));
        assertThat(shown.get("status").asString()).isEqualTo("REPLAYED");
        assertThat(shown.get("actions")).filteredOn(action -> action.get("action").asString().equals("REPLAY"))
                .extracting(action -> action.get("outcome").asString()).containsExactly("APPLIED", "ALREADY_RESOLVED");
        assertThat(shown.get("event").get("metadata").get("eventId").asString()).isEqualTo(letter.get("eventId").asString());
    }

    private static JsonNode awaitDeadLetter(RunningService service, UUID booking, String eventType) {
        String url = service.url() + "/ops/dead-letters?open=true&bookingId=" + booking;
        await().atMost(Duration.ofSeconds(90)).until(() -> json(client.get(url)).get("total").asInt() >= 1);
        JsonNode letter = json(client.get(url)).get("items").get(0);
        assertThat(letter.get("eventType").asString()).isEqualTo(eventType);
        assertThat(letter.get("status").asString()).isEqualTo("DEAD");
        assertThat(letter.get("exceptionMessage").asString()).contains("refused by test trigger");
        assertThat(letter.get("deadLetterTopic").get("topic").asString()).endsWith(".DLT");
        if (service != system.notification()) {
            assertThat(letter.get("attempts").asInt()).as("the configured retry.max-attempts (mail has a policy of its own)")
                    .isEqualTo(Integer.parseInt(TheSystem.SCENARIO_PROPERTIES.get("bookingplatform.eventing.consumer.retry.max-attempts")));
        }
        PrometheusScrape metrics = ObservabilityIT.scrape(service);
        assertThat(metrics.sum("eventing_dead_letters_total", Map.of("topic", letter.get("topic").asString(), "eventType", eventType)))
                .as("dead letters of %s counted", letter.get("topic").asString()).isGreaterThanOrEqualTo(1);
        assertThat(metrics.sum("eventing_consumer_retries_total", Map.of("topic", letter.get("topic").asString(), "kind", "fault")))
                .as("its retries counted").isGreaterThanOrEqualTo(letter.get("attempts").asInt() - 1);
        assertThat(metrics.sum("eventing_handler_seconds_count", Map.of("eventType", eventType, "outcome", "failed")))
                .as("its failed deliveries counted").isGreaterThanOrEqualTo(1);
        JsonNode filtered = json(client.get(service.url() + "/ops/dead-letters?eventType=" + eventType + "&topic="
                + letter.get("topic").asString() + "&exceptionClass=" + letter.get("exceptionClass").asString()));
        assertThat(filtered.get("items")).extracting(item -> item.get("path").asString()).contains(letter.get("path").asString());
        return letter;
    }

    /** A trigger refusing one booking's write in a service's database: the cause ops will fix. */
    static String refuse(RunningService service, String table, String operation, String condition) {
        String name = "refuse_" + UUID.randomUUID().toString().replace("-", "");
        var jdbc = PlatformClient.jdbc(service);
        jdbc.sql("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " RAISE EXCEPTION 'refused by test trigger " + name + "'; END $$").update();
        jdbc.sql("CREATE TRIGGER " + name + " BEFORE " + operation + " ON " + table + " FOR EACH ROW WHEN (" + condition + ")"
                + " EXECUTE FUNCTION " + name + "()").update();
        return name;
    }

    static void fix(RunningService service, String trigger, String table) {
        PlatformClient.jdbc(service).sql("DROP TRIGGER " + trigger + " ON " + table).update();
        PlatformClient.jdbc(service).sql("DROP FUNCTION " + trigger + "()").update();
    }

    private static String email() {
        return "dlq+" + UUID.randomUUID() + "@example.com";
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        return PlatformClient.JSON.readTree(response.body());
    }
}
