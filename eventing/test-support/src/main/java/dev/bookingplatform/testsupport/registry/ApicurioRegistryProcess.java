package dev.bookingplatform.testsupport.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bookingplatform.testsupport.FreePorts;

/**
 * Apicurio Registry 3.0 run as a child process from its Maven Central distribution, with in-memory
 * storage. Its {@code /apis/ccompat/v7} API is what Confluent clients and our serde talk to.
 */
public final class ApicurioRegistryProcess implements SchemaRegistry {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final Process process;

    private final int port;

    private final Path log;

    private ApicurioRegistryProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the registry on a free loopback port and returns once its API answers. */
    public static ApicurioRegistryProcess start() {
        return start(0);
    }

    public static ApicurioRegistryProcess start(int requestedPort) {
        return start(requestedPort, Map.of());
    }

    /**
     * Starts the registry on {@code requestedPort} (0: a free one) with extra Quarkus/Apicurio system
     * properties, e.g. {@code apicurio.storage.sql.kind=postgresql} to keep its schemas in a database.
     */
    public static ApicurioRegistryProcess start(int requestedPort, Map<String, String> properties) {
        Path runner = ApicurioDistribution.locate().runnerJar();
        int port = requestedPort > 0 ? requestedPort : FreePorts.next();
        try {
            Path log = Files.createTempFile("apicurio-registry-", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                    "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.log.console.color=false"));
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-jar", runner.toString()));
            Process process = new ProcessBuilder(command)
                    .directory(runner.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ApicurioRegistryProcess registry = new ApicurioRegistryProcess(process, port, log);
            registry.awaitReady();
            return registry;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start Apicurio Registry from " + runner, ex);
        }
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
        catch (IOException leftOver) {
            // A log file left in the temporary directory is not worth failing a stop for.
        }
        catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue()
                        + " before it was ready; its log:\n" + tail(log));
            }
            try {
                if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYetListening) {
                // Keep polling until the deadline.
            }
            catch (InterruptedException ex) {
                close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", ex);
            }
            pause();
        }
        String lastLines = tail(log);
        close();
        throw new IllegalStateException("Apicurio Registry did not answer on " + url() + " within " + STARTUP_TIMEOUT
                + "; its log:\n" + lastLines);
    }

    private static void pause() {
        // Polling a child process that offers no readiness signal; Awaitility is a test-only dependency.
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (IOException ex) {
            return "(log unreadable: " + ex.getMessage() + ")";
        }
    }
}
