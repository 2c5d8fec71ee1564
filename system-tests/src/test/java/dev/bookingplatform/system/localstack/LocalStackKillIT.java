package dev.bookingplatform.system.localstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.bookingplatform.system.TheSecondLane;
import dev.bookingplatform.testsupport.FreePorts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./local-stack --data-dir=DIR} killed with SIGKILL while bookings arrive (open loop, 10 a second): its
 * PostgreSQL and registry stop with it and free their ports, the same command starts again on the same directory,
 * the gateway's unanswered requests are sent again with their idempotency keys, and every booking then gets its
 * checkout page, is paid and confirmed, with exactly one session at Stripe and one in payment-service each; or, if
 * it waited for inventory longer than the pending deadline (two minutes) while the stack was down, is rejected
 * with no session at all.
 */
// The stack is a process of its own, so it runs beside the scenarios on the shared system (junit-platform.properties).
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TheSecondLane.LOCK)
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class LocalStackKillIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int BOOKINGS = 30;

    private static final Instant FIRST_SLOT = Instant.parse("2030-07-01T14:00:00Z");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<LocalStackProcess> stacks = new ArrayList<>();

    private Path dataDirectory;

    private boolean passed;

    @Test
    void killedMidLoadItStopsItsPiecesAndARestartOnItsDataFinishesEverySagaOnce() throws Exception {
        dataDirectory = Files.createTempDirectory("local-stack-kill-");
        List<String> options = new ArrayList<>(List.of("--data-dir=" + dataDirectory));
        Map<String, Integer> ports = new HashMap<>();
        for (String name : List.of("booking", "inventory", "payment", "notification", "registry", "mail", "stripe", "smtp", "kafka",
                "postgres")) {
            ports.put(name, FreePorts.next());
            options.add("--" + name + "-port=" + ports.get(name));
        }
        URI bookings = URI.create("http://localhost:" + ports.get("booking") + "/api/bookings");

        LocalStackProcess first = start(options);
        String token = tokens().get("CUSTOMER_TOKEN");
        Map<Integer, UUID> accepted = new ConcurrentHashMap<>();
        ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor();
        int[] next = { 0 };
        arrivals.scheduleAtFixedRate(() -> {
            int i = next[0]++;
            if (i < BOOKINGS) {
                send(bookings, token, i).ifPresent(id -> accepted.put(i, id));
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= BOOKINGS / 2);
        List<ProcessHandle> pieces = first.processTree(dataDirectory);
        Set<Integer> listening = ListeningPorts.of(pieces);
        assertThat(pieces.stream().map(piece -> piece.info().command().orElse(""))).anyMatch(command -> command.endsWith("postgres"));

        first.process().destroyForcibly();
        long killedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(pieces)
                .as("PostgreSQL, the registry and the switch end with the stack's JVM").noneMatch(ProcessHandle::isAlive));
        assertThat(ListeningPorts.all()).as("no port of the killed stack is still bound").doesNotContainAnyElementsOf(listening);
        long piecesGoneMs = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        arrivals.shutdown();
        assertThat(arrivals.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        int acceptedBeforeKill = accepted.size();

        start(options);
        String newToken = tokens().get("CUSTOMER_TOKEN");
        for (int i = 0; i < BOOKINGS; i++) {
            if (!accepted.containsKey(i)) {
                int booking = i;
                // What a gateway does with a request it got no answer to: the same request, the same key.
                await().atMost(Duration.ofSeconds(30)).until(() -> send(bookings, newToken, booking).map(id -> accepted.put(booking, id))
                        .isPresent());
            }
        }
        assertThat(accepted).hasSize(BOOKINGS);
        // A booking still PENDING two minutes after it was made is rejected ("inventory did not answer; please try
        // again"), the platform's promise to a customer while it is down that long; a slow restart makes some.
        Set<UUID> confirmed = new java.util.HashSet<>();
        Set<UUID> rejected = new java.util.HashSet<>();
        for (UUID id : accepted.values()) {
            JsonNode booking = await().atMost(Duration.ofSeconds(180)).ignoreExceptions().until(() -> read(bookings, newToken, id),
                    view -> view.path("checkoutUrl").isString() || view.path("status").asString().equals("REJECTED"));
            if (booking.path("status").asString().equals("REJECTED")) {
                assertThat(booking.path("reasonCode").asString()).as("why %s was rejected: %s", id, booking).isEqualTo("NO_INVENTORY_ANSWER");
                rejected.add(id);
                continue;
            }
            URI checkout = URI.create(booking.path("checkoutUrl").asString());
            HttpResponse<String> paid = http.send(HttpRequest.newBuilder(URI.create(checkout + "/pay"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(paid.statusCode()).as("paying %s: %s", id, paid.body()).isEqualTo(200);
            confirmed.add(id);
        }
        for (UUID id : confirmed) {
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                    .until(() -> read(bookings, newToken, id).path("status").asString(), "CONFIRMED"::equals);
        }

        Set<String> paidIds = confirmed.stream().map(UUID::toString).collect(Collectors.toSet());
        assertThat(paymentSessionsPerBooking(ports.get("postgres"))).as("payment-service's sessions per booking")
                .containsOnlyKeys(paidIds).allSatisfy((booking, count) -> assertThat(count).isEqualTo(1));
        assertThat(stripeSessionsPerBooking()).as("the sessions Stripe made, per booking").containsOnlyKeys(paidIds)
                .allSatisfy((booking, count) -> assertThat(count).isEqualTo(1));
        assertThat(confirmed).as("most bookings outlive the kill").hasSizeGreaterThan(BOOKINGS / 2);
        System.out.printf("Local stack killed with %d of %d bookings accepted: its pieces were gone %d ms after the kill; after"
                + " the restart %d bookings were confirmed with one session each, %d rejected at the pending deadline with none%n",
                acceptedBeforeKill, BOOKINGS, piecesGoneMs, confirmed.size(), rejected.size());
        passed = true;
    }

    @AfterEach
    void stopAndDelete() throws Exception {
        if (!passed && !stacks.isEmpty()) {
            String console = stacks.get(stacks.size() - 1).console();
            System.out.println("The last stack's console:\n" + console.substring(Math.max(0, console.length() - 20_000)));
        }
        for (LocalStackProcess stack : stacks) {
            if (stack.process().isAlive()) {
                stack.interrupt();
                if (!stack.process().waitFor(90, TimeUnit.SECONDS)) {
                    stack.process().descendants().forEach(ProcessHandle::destroyForcibly);
                    stack.process().destroyForcibly();
                }
            }
        }
        if (!passed && dataDirectory != null) {
            System.out.println("Kept for a look: " + dataDirectory + " (logs/local-stack.log, logs/services.json)");
        }
        else if (dataDirectory != null) {
            try (Stream<Path> paths = Files.walk(dataDirectory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private LocalStackProcess start(List<String> options) throws Exception {
        LocalStackProcess stack = LocalStackProcess.start(options.toArray(String[]::new));
        stacks.add(stack);
        stack.awaitReady("Booking platform ready", Duration.ofMinutes(4));
        // The tokens are written after the ready line, and before the curl that follows them.
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.console().contains("Place a booking:"));
        return stack;
    }

    private Map<String, String> tokens() throws Exception {
        return LocalStackProcess.tokens(dataDirectory);
    }

    /** The id of booking {@code i} if the stack answered, empty if the request got no answer (the stack was killed). */
    private java.util.Optional<UUID> send(URI bookings, String token, int i) {
        Instant start = FIRST_SLOT.plus(Duration.ofDays(3L * i));
        String body = """
                {"customerEmail":"kill%d@example.com","customerName":"Kill %d","resourceId":"harbour-view-room",
                 "slotStart":"%s","slotEnd":"%s","quantity":1}""".formatted(i, i, start, start.plus(Duration.ofHours(44)));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(bookings).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "kill-test-" + i).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                return java.util.Optional.empty();
            }
            String location = response.headers().firstValue("Location").orElseThrow();
            return java.util.Optional.of(UUID.fromString(location.substring(location.lastIndexOf('/') + 1)));
        }
        catch (java.io.IOException | InterruptedException noAnswer) {
            return java.util.Optional.empty();
        }
    }

    private JsonNode read(URI bookings, String token, UUID id) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(bookings + "/" + id)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static Map<String, Long> paymentSessionsPerBooking(int postgresPort) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/payment", "postgres", "");
                ResultSet rows = connection.createStatement().executeQuery("SELECT booking_id, count(*) FROM payment_session GROUP BY booking_id")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    /** From the simulator's journal: the distinct sessions it made, by the booking in their metadata. */
    private Map<String, Long> stripeSessionsPerBooking() throws Exception {
        Map<String, Set<String>> sessions = new HashMap<>();
        for (String line : Files.readAllLines(dataDirectory.resolve("stripe").resolve("account.jsonl"))) {
            JsonNode change = JSON.readTree(line);
            if (change.path("type").asString().equals("session")) {
                JsonNode session = change.path("value");
                sessions.computeIfAbsent(session.path("metadata").path("bookingId").asString(), booking -> new java.util.HashSet<>())
                        .add(session.path("id").asString());
            }
        }
        return sessions.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> (long) entry.getValue().size()));
    }
}
