package dev.bookingplatform.system;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.web.security.Scopes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The terminal's way, with nothing but the JDK: {@code java deploy/ops-cli/BookingOps.java} finds a dead letter,
 * dry-runs a bulk replay, replays it once its cause is fixed (a second replay is refused), shows it, and
 * compensates another booking through the saga.
 */
@Timeout(240)
class OpsCliIT {

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    static final String OPS_TOKEN = system.tokens().issue("ops-person", Duration.ofHours(1), Scopes.OPS);

    @Test
    void theReplayScenarioFromTheCommandLine() throws Exception {
        String resource = client.createResource("cli", 3, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String trigger = DeadLetterOpsIT.refuse(system.inventory(), "hold", "INSERT", "NEW.resource_id = '" + resource + "'");
        UUID id = client.bookOk(PlatformClient.bookingJson("cli+" + UUID.randomUUID() + "@example.com", resource,
                PlatformClient.freshSlot(), 1, ""));
        String inventory = system.inventory().url().toString();

        await().atMost(Duration.ofSeconds(90)).until(() -> cli("list", "--service", inventory, "--booking", id.toString(), "--open")
                .output().contains("BookingRequested"));
        Run listed = cli("list", "--service", inventory, "--booking", id.toString(), "--open");
        assertThat(listed.status()).isZero();
        assertThat(listed.output()).contains("DEAD", id.toString(), "UncategorizedSQLException").contains("1 dead letter(s)");
        String path = listed.output().lines().filter(line -> line.startsWith("DEAD")).findFirst().orElseThrow().split("\\s+")[1];
        assertThat(path).matches("booking\\.events/\\d+/\\d+");

        Run dryRun = cli("bulk-replay", "--service", inventory, "--booking", id.toString(), "--reason", "look first");
        assertThat(dryRun.status()).isZero();
        assertThat(dryRun.output()).contains(path, "would REPLAY", "1 dead letter(s) match (dry run; nothing changed;");
        assertThat(cli("replay", path, "--service", inventory).status()).as("no reason").isEqualTo(2);

        DeadLetterOpsIT.fix(system.inventory(), trigger, "hold");
        Run replayed = cli("replay", path, "--service", inventory, "--reason", "trigger dropped");
        assertThat(replayed.status()).as(replayed.output()).isZero();
        assertThat(replayed.output()).contains("\"result\": \"APPLIED\"");
        Run again = cli("replay", path, "--service", inventory, "--reason", "again");
        assertThat(again.status()).as(again.output()).isEqualTo(1);
        assertThat(again.output()).contains("ALREADY_RESOLVED");
        Run shown = cli("show", path, "--service", inventory);
        assertThat(shown.output()).contains("\"status\": \"REPLAYED\"", "\"actor\": \"ops-person\"", "\"reason\": \"trigger dropped\"",
                "\"eventType\": \"BookingRequested\"");

        client.awaitStatus(id, "AWAITING_PAYMENT");
        Run compensated = cli("compensate", id.toString(), "--booking-service", system.booking().url().toString(), "--reason", "customer gone");
        assertThat(compensated.status()).as(compensated.output()).isZero();
        client.awaitStatus(id, "CANCELLED");
        await().until(() -> client.taken(resource) == 0);
        assertThat(cli("compensate", id.toString(), "--booking-service", system.booking().url().toString(), "--reason", "twice").status())
                .isEqualTo(1);
        assertThat(cli("events", id.toString(), "--service", system.booking().url().toString()).output())
                .contains("BookingRequested", "PaymentRequested", "BookingCancelled");
        Run stats = cli("stats", "--service", inventory);
        assertThat(stats.status()).isZero();
        assertThat(stats.output()).contains("\"eventsByType\"", "\"InventoryReserved\"", "\"deadLettersByTopic\"",
                "\"booking.events\"", "\"REPLAYED\"");
    }

    record Run(int status, String output) {
    }

    static final String JAVA = OpsCommandLine.JAVA;

    static final File SOURCE = OpsCommandLine.SOURCE;

    @Test
    void theReadmesCommandNeedsNothingButTheJdk() throws Exception {
        Process process = new ProcessBuilder(JAVA, SOURCE.getCanonicalPath(), "help").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("usage: java deploy/ops-cli/BookingOps.java", "bulk-replay", "compensate");
    }

    static Run cli(String... arguments) throws Exception {
        OpsCommandLine.Run run = OpsCommandLine.run(OPS_TOKEN, arguments);
        return new Run(run.status(), run.output());
    }

    /** The four services' URLs, as every command that asks them all takes them. */
    static List<String> serviceOptions() {
        return List.of("--booking-service", system.booking().url().toString(), "--inventory-service",
                system.inventory().url().toString(), "--payment-service", system.payment().url().toString(),
                "--notification-service", system.notification().url().toString());
    }

    /** The command and its arguments, then the four services' URLs. */
    static String[] withServices(String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(serviceOptions());
        return all.toArray(String[]::new);
    }

    /** {@code BookingOps serve} on a port of its own, running until closed; {@link #url()} from its first line. */
    record Server(Process process, java.io.BufferedReader output, String firstLine) implements AutoCloseable {

        String url() {
            return firstLine.substring("Booking timeline at ".length(), firstLine.indexOf(" (Ctrl-C"));
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            output.close();
        }
    }

    static Server serve(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("serve", "--port", "0"));
        command.addAll(List.of(arguments));
        command.addAll(serviceOptions());
        Process process = OpsCommandLine.start(OPS_TOKEN, command);
        var output = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            return new Server(process, output, output.readLine());
        }
        catch (java.io.IOException | RuntimeException failed) {
            process.destroyForcibly();
            throw failed;
        }
    }
}
