package dev.bookingplatform.system;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTableRow;
import org.htmlunit.html.HtmlTextInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import tools.jackson.databind.JsonNode;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One booking's timeline, assembled by the ops tool from the four services' ops APIs: a booking paid and then
 * cancelled (so refunded) shows every event each service wrote, where each consumer read it (checked against the
 * topic itself) and after how many deliveries, the Stripe calls, the webhooks and the mails, in causal order; and
 * the page {@code serve} answers shows the same steps in a browser (HtmlUnit, running the page's own script).
 */
@Timeout(300)
class TimelineIT {

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    @Test
    void theToolAssemblesEveryStepOfABookingInCausalOrderAndThePageShowsIt() throws Exception {
        String resource = client.createResource("timeline", 5, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        UUID id = client.bookOk(PlatformClient.bookingJson("timeline+" + UUID.randomUUID() + "@example.com", resource,
                PlatformClient.freshSlot(), 1, ""));
        client.pressPay(client.awaitCheckoutSession(id));
        client.awaitStatus(id, "CONFIRMED");
        assertThat(client.cancel(id).statusCode()).isEqualTo(202);
        client.awaitStatus(id, "CANCELLED");
        // The last mail (cancellation) and the refund's webhook come after the booking's final state.
        await().atMost(Duration.ofSeconds(60)).until(() -> count(system.notification(), "SELECT count(*) FROM notification_log"
                + " WHERE booking_id = ? AND status = 'SENT'", id) >= 2 && count(system.payment(),
                        "SELECT count(*) FROM stripe_webhook_event WHERE booking_id = ? AND type LIKE 'charge.refund%'", id) >= 1);

        JsonNode timeline = await().atMost(Duration.ofSeconds(30)).until(() -> timeline(id), this::settled);
        List<JsonNode> steps = new ArrayList<>();
        timeline.get("steps").forEach(steps::add);
        assertThat(timeline.get("unreachable").size()).as("services that did not answer").isZero();

        for (RunningService service : system.services()) {
            String name = service.name().replace("-service", "");
            assertThat(steps.stream().filter(step -> name.equals(text(step, "service")) && "PUBLISHED".equals(text(step, "kind"))))
                    .as("events %s wrote", name).hasSize(count(service, "SELECT count(*) FROM outbox_event WHERE aggregate_id = ?",
                            id.toString()));
            assertThat(steps.stream().filter(step -> name.equals(text(step, "service")) && "CONSUMED".equals(text(step, "kind"))))
                    .as("events %s applied", name).hasSize(count(service,
                            "SELECT count(*) FROM processed_event WHERE aggregate_id = ?", id.toString()));
        }
        assertThat(steps).extracting(step -> text(step, "kind"))
                .contains("PUBLISHED", "CONSUMED", "STRIPE_CALL", "WEBHOOK", "MAIL_SENT");
        assertThat(steps).filteredOn(step -> "STRIPE_CALL".equals(text(step, "kind")))
                .extracting(step -> step.get("detail").get("call").asString()).contains("CREATE_SESSION", "REFUND");
        assertThat(steps).filteredOn(step -> "WEBHOOK".equals(text(step, "kind")))
                .extracting(step -> step.get("detail").get("type").asString()).contains("checkout.session.completed");

        Map<String, Integer> position = new HashMap<>();
        for (JsonNode step : steps) {
            String kind = text(step, "kind");
            String event = text(step, "eventId");
            if ("PUBLISHED".equals(kind)) {
                position.put("published " + event, step.get("position").asInt());
            }
            if ("CONSUMED".equals(kind)) {
                position.putIfAbsent("consumed " + text(step, "service") + " " + event, step.get("position").asInt());
                position.putIfAbsent("read " + event, step.get("position").asInt());
            }
        }
        try (KafkaConsumer<byte[], byte[]> topics = consumer()) {
            for (JsonNode step : steps) {
                String kind = text(step, "kind");
                int at = step.get("position").asInt();
                if ("CONSUMED".equals(kind)) {
                    assertThat(position.get("published " + text(step, "eventId"))).as("%s comes after its event was written", step)
                            .isNotNull().isLessThan(at);
                    JsonNode detail = step.get("detail");
                    assertThat(detail.get("attempts").asInt()).as("deliveries of %s", step).isGreaterThanOrEqualTo(1);
                    assertThat(detail.get("handledMs").asDouble()).as("handler time of %s", step).isGreaterThanOrEqualTo(0);
                    assertThat(eventIdAt(topics, detail.get("topic").asString(), detail.get("partition").asInt(),
                            detail.get("offset").asLong())).as("the record at the coordinates %s shows", step).isEqualTo(text(step, "eventId"));
                }
                if ("MAIL_SENT".equals(kind)) {
                    assertThat(position.get("consumed notification " + text(step, "eventId"))).as("%s after its event was read", step)
                            .isNotNull().isLessThan(at);
                    assertThat(text(step, "summary")).as("the address is masked").doesNotContain("timeline+");
                }
                if ("PUBLISHED".equals(kind) && position.containsKey("read " + text(step, "eventId"))) {
                    JsonNode detail = step.get("detail");
                    assertThat(detail.has("topic")).as("where the relay put %s", step).isTrue();
                    assertThat(eventIdAt(topics, detail.get("topic").asString(), detail.get("partition").asInt(),
                            detail.get("offset").asLong())).as("the record at the coordinates %s shows", step).isEqualTo(text(step, "eventId"));
                }
                String cause = text(step, "causationId");
                if ("PUBLISHED".equals(kind) && !cause.isEmpty()) {
                    Integer handled = position.get("consumed " + text(step, "service") + " " + cause);
                    if (handled != null) {
                        assertThat(handled).as("%s comes after the handling that wrote it", step).isLessThan(at);
                    }
                }
            }
        }

        assertThePageShows(id, steps);
    }

    /**
     * Inventory refuses the hold (a trigger) until ops drop it and replay the dead letter; payment fails its first
     * delivery of the payment request once and then takes it. The timeline shows the retries, the dead letter, the
     * replay ops made (who and why), and the rest of the saga after it, in that order, in the terminal and the page.
     */
    @Test
    void aBookingThroughARetryADeadLetterAndAReplayShowsEveryStepInOrder() throws Exception {
        String resource = client.createResource("timeline-dlq", 5, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String trigger = DeadLetterOpsIT.refuse(system.inventory(), "hold", "INSERT", "NEW.resource_id = '" + resource + "'");
        UUID id = client.bookOk(PlatformClient.bookingJson("timeline+" + UUID.randomUUID() + "@example.com", resource,
                PlatformClient.freshSlot(), 1, ""));
        String letter;
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> count(system.inventory(),
                    "SELECT count(*) FROM dead_letter WHERE booking_id = ? AND status = 'DEAD'", id.toString()) == 1);
            letter = PlatformClient.jdbc(system.inventory()).sql("SELECT original_topic || '/' || original_partition || '/' || original_offset"
                    + " FROM dead_letter WHERE booking_id = ?").param(id.toString()).query(String.class).single();
        }
        finally {
            DeadLetterOpsIT.fix(system.inventory(), trigger, "hold");
        }
        // Payment's step comes only after the replay: its first try fails, its retry passes.
        String flaky = failOnce(system.payment(), "stripe_intent", "NEW.booking_id = '" + id + "'");
        OpsCliIT.Run replayed = OpsCliIT.cli("replay", letter, "--service", system.inventory().url().toString(), "--reason",
                "hold trigger dropped");
        assertThat(replayed.status()).as(replayed.output()).isZero();
        client.pressPay(client.awaitCheckoutSession(id));
        client.awaitStatus(id, "CONFIRMED");
        DeadLetterOpsIT.fix(system.payment(), flaky, "stripe_intent");
        PlatformClient.jdbc(system.payment()).sql("DROP SEQUENCE " + flaky + "_calls").update();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(system.notification(), "SELECT count(*) FROM notification_log"
                + " WHERE booking_id = ? AND status = 'SENT'", id) >= 1);

        List<JsonNode> steps = new ArrayList<>();
        timeline(id).get("steps").forEach(steps::add);
        int deadLettered = positionOf(steps, "inventory", "DEAD_LETTERED", "BookingRequested");
        int replay = positionOf(steps, "inventory", "OPS_ACTION", "BookingRequested");
        int applied = positionOf(steps, "inventory", "CONSUMED", "BookingRequested");
        int reserved = positionOf(steps, "inventory", "PUBLISHED", "InventoryReserved");
        assertThat(List.of(positionOf(steps, "booking", "PUBLISHED", "BookingRequested"), deadLettered, replay, applied, reserved))
                .as("written, dead-lettered, replayed by ops, applied, then the hold's event").isSorted().doesNotHaveDuplicates();
        JsonNode letterStep = steps.get(deadLettered - 1);
        assertThat(letterStep.get("detail").get("attempts").asInt()).as("deliveries before the dead letter")
                .isEqualTo(Integer.parseInt(TheSystem.SCENARIO_PROPERTIES.get("bookingplatform.eventing.consumer.retry.max-attempts")));
        assertThat(letterStep.get("detail").get("status").asString()).isEqualTo("REPLAYED");
        JsonNode action = steps.get(replay - 1).get("detail");
        assertThat(action.get("action").asString()).isEqualTo("REPLAY");
        assertThat(action.get("actor").asString()).isEqualTo("ops-person");
        assertThat(action.get("reason").asString()).isEqualTo("hold trigger dropped");
        JsonNode retried = steps.get(positionOf(steps, "payment", "CONSUMED", "PaymentRequested") - 1);
        assertThat(retried.get("detail").get("attempts").asInt()).as("the payment request's deliveries (one failed)").isEqualTo(2);
        assertThat(positionOf(steps, "booking", "PUBLISHED", "BookingConfirmed")).isGreaterThan(reserved);

        assertThat(assertThePageShows(id, steps)).as("trouble the page shows").contains("DEAD_LETTERED", "OPS_ACTION");
    }

    /** A trigger failing the first matching write to a table, and no other: a fault that passes on retry. */
    private static String failOnce(RunningService service, String table, String condition) {
        String name = "fail_once_" + UUID.randomUUID().toString().replace("-", "");
        var jdbc = PlatformClient.jdbc(service);
        jdbc.sql("CREATE SEQUENCE " + name + "_calls").update();
        jdbc.sql("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF nextval('" + name
                + "_calls') = 1 THEN RAISE EXCEPTION 'failed once by test trigger " + name + "'; END IF; RETURN NEW; END $$").update();
        jdbc.sql("CREATE TRIGGER " + name + " BEFORE INSERT ON " + table + " FOR EACH ROW WHEN (" + condition + ") EXECUTE FUNCTION " + name + "()").update();
        return name;
    }

    private static int positionOf(List<JsonNode> steps, String service, String kind, String eventType) {
        return steps.stream().filter(step -> service.equals(text(step, "service")) && kind.equals(text(step, "kind"))
                && eventType.equals(text(step, "eventType"))).mapToInt(step -> step.get("position").asInt()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + eventType + " in " + service + ": " + steps));
    }

    @Test
    void aServiceThatDoesNotAnswerIsNamedAndTheRestIsShown() throws Exception {
        String resource = client.createResource("timeline-down", 5, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        UUID id = client.bookOk(PlatformClient.bookingJson("timeline+" + UUID.randomUUID() + "@example.com", resource,
                PlatformClient.freshSlot(), 1, ""));
        client.awaitCheckoutSession(id);
        List<String> arguments = new ArrayList<>(List.of(OpsCliIT.withServices("timeline", id.toString())));
        arguments.addAll(List.of("--payment-service", "http://127.0.0.1:9"));
        OpsCliIT.Run run = OpsCliIT.cli(arguments.toArray(String[]::new));
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("payment did not answer", "PUBLISHED", "BookingRequested", "CONSUMED");
    }

    /** The page shows the steps, row by row; answers the kinds of step it showed. */
    private List<String> assertThePageShows(UUID id, List<JsonNode> steps) throws Exception {
        try (OpsCliIT.Server server = OpsCliIT.serve(); WebClient browser = new WebClient(BrowserVersion.FIREFOX)) {
            assertThat(server.firstLine()).as("the server's first line").startsWith("Booking timeline at http://127.0.0.1:");
            String url = server.url();

            HtmlPage page = browser.getPage(url);
            page.<HtmlTextInput>getHtmlElementById("booking").type(id.toString());
            page = page.<HtmlButton>querySelector("button[type=submit]").click();
            HtmlPage shown = page;
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                browser.waitForBackgroundJavaScript(200);
                return shown.getElementById("status").getTextContent().contains("step(s) of booking");
            });
            List<HtmlTableRow> rows = shown.getByXPath("//table[@id='timeline']/tbody/tr");
            assertThat(rows).as("rows the page shows").hasSize(steps.size());
            assertThat(shown.getElementById("status").getTextContent()).isEqualTo(steps.size() + " step(s) of booking " + id);
            assertThat(rows.get(0).getCell(3).asNormalizedText()).isEqualTo("PUBLISHED");
            assertThat(rows.get(0).getCell(5).asNormalizedText()).startsWith("BookingRequested");
            // Row by row, the page shows the timeline's steps in its order: the dead letter, ops' replay and the
            // retried payment where the JSON has them, marked as the page marks trouble.
            for (int i = 0; i < steps.size(); i++) {
                JsonNode step = steps.get(i);
                HtmlTableRow row = rows.get(i);
                assertThat(List.of(row.getCell(0).asNormalizedText(), row.getCell(2).asNormalizedText(), row.getCell(3).asNormalizedText()))
                        .as("row %d of the page", i + 1).containsExactly(text(step, "position"), text(step, "service"), text(step, "kind"));
                assertThat(row.getCell(5).asNormalizedText()).as("event of row %d", i + 1).startsWith(text(step, "eventType"));
                assertThat(row.getAttribute("class")).as("class of row %d", i + 1).isEqualTo(text(step, "kind"));
            }

            assertThat(rows).extracting(row -> row.getCell(2).asNormalizedText())
                    .contains("booking", "inventory", "payment", "notification");
            assertThat(shown.getElementById("warnings").getChildElementCount()).isZero();
            List<String> kindsShown = rows.stream().map(row -> row.getCell(3).asNormalizedText()).toList();

            assertThat(statusLineFor(url, "rebound.example")).as("a name pointed at the server by someone else (DNS rebinding)")
                    .contains(" 421 ");

            HtmlPage unknown = browser.getPage(url + "?booking=" + UUID.randomUUID());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                browser.waitForBackgroundJavaScript(200);
                return unknown.getElementById("status").getTextContent().startsWith("0 step(s)");
            });
            return kindsShown;
        }
    }

    /** A raw request, since HTTP clients will not send a Host header other than the URL's. */
    private static String statusLineFor(String url, String host) throws Exception {
        URI where = URI.create(url);
        try (java.net.Socket socket = new java.net.Socket(where.getHost(), where.getPort())) {
            socket.getOutputStream().write(("GET /timeline.json?booking=" + UUID.randomUUID() + " HTTP/1.1\r\nHost: " + host + ":"
                    + where.getPort() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private boolean settled(JsonNode timeline) {
        return timeline.get("steps").size() > 0;
    }

    private static JsonNode timeline(UUID id) throws Exception {
        OpsCliIT.Run run = OpsCliIT.cli(OpsCliIT.withServices("timeline", id.toString(), "--json"));
        assertThat(run.status()).as(run.output()).isZero();
        return PlatformClient.JSON.readTree(run.output());
    }

    private static String eventIdAt(KafkaConsumer<byte[], byte[]> consumer, String topic, int partition, long offset) {
        TopicPartition where = new TopicPartition(topic, partition);
        consumer.assign(List.of(where));
        consumer.seek(where, offset);
        Instant giveUp = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(giveUp)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.offset() == offset) {
                    Header eventId = record.headers().lastHeader("eventId");
                    return eventId == null ? "" : new String(eventId.value(), StandardCharsets.UTF_8);
                }
            }
        }
        return "no record at " + topic + "/" + partition + "/" + offset;
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static int count(RunningService service, String sql, Object parameter) {
        return PlatformClient.jdbc(service).sql(sql).param(parameter).query(Integer.class).single();
    }

    private static String text(JsonNode step, String field) {
        JsonNode value = step.get(field);
        return value == null || value.isNull() ? "" : value.asString();
    }
}
