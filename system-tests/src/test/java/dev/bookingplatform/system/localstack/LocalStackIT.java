package dev.bookingplatform.system.localstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.bookingplatform.system.OpsCommandLine;
import dev.bookingplatform.system.TheSecondLane;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's walk-through against {@code ./local-stack} started as a user starts it: a separate JVM that
 * reports ready, books with the README's {@code curl}, is paid on the simulator's checkout page, confirms,
 * mails a receipt; the dead-letter command line replays a refused step against it; and on Ctrl-C it leaves no
 * process, no listening port and no data behind.
 */
// The stack is a process of its own, so it runs beside the scenarios on the shared system (junit-platform.properties).
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TheSecondLane.LOCK)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LocalStackIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String README_BOOKING_URL = "http://localhost:8081/api/bookings";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalStackProcess stack;

    private String customerToken = "";

    @Test
    void theReadmeWalkThroughWorksAndCtrlCLeavesNothingBehind() throws Exception {
        String readmeCurl = Readme.firstBookingCurl();
        stack = LocalStackProcess.start("--free-ports");
        stack.awaitReady("Booking platform ready", Duration.ofMinutes(4));

        String bookingApi = stack.reported("Booking API");
        String curl = readmeCurl.replace(README_BOOKING_URL, bookingApi);
        // The ready line comes first; the tokens and the curl follow it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.console())
                .as("the stack prints the README's curl, on its own port").contains(curl.indent(2).stripTrailing()));

        Path dataDirectory = Path.of(stack.reported("Log")).getParent().getParent();
        // What the stack tells its user to `source`, read as the shell would.
        Map<String, String> tokens = LocalStackProcess.tokens(dataDirectory);
        assertThat(stack.console()).contains("source " + dataDirectory.resolve("tokens.env"));
        customerToken = tokens.get("CUSTOMER_TOKEN");
        HttpResponse<String> created = http.send(CurlCommand.parse(curl, tokens).request(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        URI booking = URI.create(bookingApi).resolve(created.headers().firstValue("Location").orElseThrow());

        await().atMost(Duration.ofSeconds(60)).until(() -> read(booking).get("checkoutUrl").isString());
        URI checkout = URI.create(read(booking).get("checkoutUrl").asString());
        assertThat(checkout.getPort()).as("the checkout page is the simulator's").isEqualTo(URI.create(stack.reported("Stripe simulator")).getPort());
        HttpResponse<String> paid = http.send(HttpRequest.newBuilder(URI.create(checkout + "/pay"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(paid.statusCode()).as(paid.body()).isLessThan(400);
        await().atMost(Duration.ofSeconds(60)).until(() -> read(booking).get("status").asString().equals("CONFIRMED"));

        URI mail = URI.create(stack.reported("Mail page")).resolve("/api/messages");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(read(mail).valueStream()
                .filter(message -> message.get("to").asString().equals("ada@example.com"))
                .map(message -> message.get("subject").asString()))
                .anySatisfy(subject -> assertThat(subject).startsWith("Booking confirmed: harbour-view-room")));

        theReplayScenarioFromTheCommandLine(curl, tokens);

        List<ProcessHandle> processes = stack.processTree(dataDirectory);
        Set<Integer> ports = ListeningPorts.of(processes);
        assertThat(processes.stream().map(process -> process.info().command().orElse("")))
                .as("the stack, its registry and its PostgreSQL").anyMatch(command -> command.endsWith("postgres"))
                .filteredOn(command -> command.endsWith("java")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ports).as("every port the ready report names is the stack's").contains(
                URI.create(bookingApi).getPort(), URI.create(stack.reported("Mail page")).getPort(),
                URI.create(stack.reported("Schema registry")).getPort(), portOf(stack.reported("Kafka")),
                portOf(stack.reported("PostgreSQL")), portOf(stack.reported("SMTP")));

        stack.interrupt();
        assertThat(stack.process().waitFor(90, TimeUnit.SECONDS)).as("stopped on Ctrl-C:%n%s", stack.console()).isTrue();
        assertThat(stack.console()).contains("Stopped in");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(processes).as("no process of the stack is left").noneMatch(ProcessHandle::isAlive));
        assertThat(ListeningPorts.all()).as("no port of the stack is still bound").doesNotContainAnyElementsOf(ports);
        assertThat(dataDirectory).as("the temporary data directory is deleted").doesNotExist();
    }

    /**
     * The dead-letter command line against the stack (compiled once from the README's source file, as OpsCliIT runs
     * it; the token the stack wrote): inventory refuses a hold, the booking's request is dead-lettered, ops find it, look at a dry run,
     * replay it once the cause is gone (a second replay is refused), and the saga goes on.
     */
    private void theReplayScenarioFromTheCommandLine(String curl, Map<String, String> tokens) throws Exception {
        String inventory = stack.reported("Inventory API").replace("/api/resources", "");
        String opsToken = tokens.get("OPS_TOKEN");
        try (java.sql.Connection database = java.sql.DriverManager.getConnection("jdbc:postgresql://" + stack.reported("PostgreSQL")
                + "/inventory", "postgres", "")) {
            try (var statement = database.createStatement()) {
                statement.execute("CREATE FUNCTION cli_refuses_holds() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN RAISE EXCEPTION 'hold refused by LocalStackIT'; END $$");
                statement.execute("CREATE TRIGGER cli_refuses_holds BEFORE INSERT ON hold FOR EACH ROW EXECUTE FUNCTION cli_refuses_holds()");
            }
            HttpResponse<String> created = http.send(CurlCommand.parse(curl.replace("first-booking", "dead-letter-walk"), tokens)
                    .request(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            String id = JSON.readTree(created.body()).get("id").asString();

            await().atMost(Duration.ofSeconds(90)).until(() -> cli(opsToken, "list", "--service", inventory, "--booking", id, "--open")
                    .output().contains("BookingRequested"));
            OpsCommandLine.Run listed = cli(opsToken, "list", "--service", inventory, "--booking", id, "--open");
            String path = listed.output().lines().filter(line -> line.startsWith("DEAD")).findFirst().orElseThrow().split("\\s+")[1];
            OpsCommandLine.Run dryRun = cli(opsToken, "bulk-replay", "--service", inventory, "--booking", id, "--reason", "look first");
            assertThat(dryRun.output()).as(dryRun.output()).contains(path, "would REPLAY", "nothing changed");

            try (var statement = database.createStatement()) {
                statement.execute("DROP TRIGGER cli_refuses_holds ON hold");
            }
            OpsCommandLine.Run replayed = cli(opsToken, "replay", path, "--service", inventory, "--reason", "trigger dropped");
            assertThat(replayed.status()).as(replayed.output()).isZero();
            assertThat(replayed.output()).contains("\"result\": \"APPLIED\"");
            OpsCommandLine.Run again = cli(opsToken, "replay", path, "--service", inventory, "--reason", "again");
            assertThat(again.status()).as(again.output()).isEqualTo(1);
            assertThat(again.output()).contains("ALREADY_RESOLVED");
            URI booking = URI.create(stack.reported("Booking API")).resolve("/api/bookings/" + id);
            await().atMost(Duration.ofSeconds(60)).until(() -> read(booking).get("checkoutUrl").isString());
        }
    }

    private static OpsCommandLine.Run cli(String opsToken, String... arguments) throws Exception {
        return OpsCommandLine.run(opsToken, arguments);
    }

    @AfterEach
    void killWhatIsLeft() {
        if (stack != null && stack.process().isAlive()) {
            stack.process().descendants().forEach(ProcessHandle::destroyForcibly);
            stack.process().destroyForcibly();
        }
    }

    private JsonNode read(URI uri) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + customerToken).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int portOf(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    /** The README, read from the repository the test runs in. */
    static final class Readme {

        static String firstBookingCurl() throws Exception {
            List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
            int first = -1;
            for (int i = 0; i < lines.size() && first < 0; i++) {
                if (lines.get(i).startsWith("curl -i -X POST " + README_BOOKING_URL)) {
                    first = i;
                }
            }
            assertThat(first).as("the README shows how to place a booking with curl").isNotNegative();
            StringBuilder curl = new StringBuilder(lines.get(first));
            int quotes = count(lines.get(first));
            for (int i = first + 1; lines.get(i - 1).endsWith("\\") || quotes % 2 == 1; i++) {
                curl.append('\n').append(lines.get(i));
                quotes += count(lines.get(i));
            }
            return curl.toString();
        }

        private static int count(String line) {
            return (int) line.chars().filter(c -> c == '\'').count();
        }
    }
}
