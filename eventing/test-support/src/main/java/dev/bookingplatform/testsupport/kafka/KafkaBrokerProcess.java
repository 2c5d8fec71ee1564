package dev.bookingplatform.testsupport.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.testsupport.FreePorts;
import dev.bookingplatform.testsupport.process.JvmClasspath;

/**
 * The {@link EmbeddedKafkaBroker} in a JVM of its own, so a test can {@link #kill} it with SIGKILL, as a crash or
 * an OOM kill would end a real broker (no controlled shutdown, logs left to recover), and {@link #restart} it on
 * the same ports and log directory. A broker inside the test's JVM cannot be killed that way.
 */
public final class KafkaBrokerProcess implements KafkaBroker {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final int port;

    private final int controllerPort;

    private final Path logDirectory;

    private final Path logFile;

    private @Nullable Process process;

    private KafkaBrokerProcess(int port, int controllerPort, Path logDirectory, Path logFile) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDirectory = logDirectory;
        this.logFile = logFile;
    }

    /** Starts a broker on free ports with a temporary log directory (deleted on {@link #close()}), and waits for it. */
    public static KafkaBrokerProcess start() {
        try {
            Path logDirectory = Files.createTempDirectory("kafka-process-");
            KafkaBrokerProcess broker = new KafkaBrokerProcess(FreePorts.next(), FreePorts.next(), logDirectory,
                    Files.createTempFile("kafka-broker-process-", ".log"));
            broker.launch();
            return broker;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start a Kafka broker in its own JVM", ex);
        }
    }

    /** In the broker's JVM: {@code port controllerPort logDirectory}; runs until the process ends. */
    public static void main(String[] args) throws InterruptedException {
        // A test JVM that dies without its shutdown hooks (SIGKILL, a fork Surefire halts) must not leave a broker behind.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]), false);
        }
        catch (RuntimeException failed) {
            // Kafka's threads would keep this JVM alive; the parent sees the exit at once instead of waiting.
            log.error("The Kafka broker did not start", failed);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-broker-stop"));
        log.info("Kafka broker ready on {}", broker.bootstrapServers());
        new CountDownLatch(1).await();
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** SIGKILL: the broker ends at once, mid-append, mid-transaction. */
    public synchronized void kill() {
        Process running = running();
        log.warn("Killing the Kafka broker (pid {}) with SIGKILL", running.pid());
        running.destroyForcibly();
        awaitExit(running);
    }

    /** Starts the broker again on the same ports and log directory, and waits until it answers. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("The Kafka broker still runs (pid " + process.pid() + ")");
        }
        launch();
    }

    public synchronized long pid() {
        return running().pid();
    }

    /** Where the broker's JVM writes its output, across restarts. */
    public Path logFile() {
        return logFile;
    }

    /** SIGTERM (a controlled shutdown), then the log directory goes. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    awaitExit(process);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        EmbeddedKafkaBroker.deleteRecursively(logDirectory);
    }

    private void launch() {
        List<String> command = List.of(JvmClasspath.javaLauncher(), "-Xmx512m", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=kafka-broker-process-logback.xml", "-cp",
                JvmClasspath.of(KafkaBrokerProcess.class), KafkaBrokerProcess.class.getName(), Integer.toString(port),
                Integer.toString(controllerPort), logDirectory.toString());
        try {
            Process started = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            // A test JVM that ends without closing the broker does not leave it running.
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "kafka-broker-ends-with-its-parent"));
            process = started;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start the Kafka broker's JVM", ex);
        }
        awaitReady();
        log.info("Kafka broker ready in its own JVM (pid {}) on {}, log {}", process.pid(), bootstrapServers(), logFile);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000))) {
            while (System.nanoTime() < deadline) {
                if (!running().isAlive()) {
                    throw new IllegalStateException("The Kafka broker's JVM exited with " + running().exitValue() + "; see " + logFile);
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                }
                catch (ExecutionException | TimeoutException notYet) {
                    // still recovering its log, or not listening yet
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", ex);
        }
        running().destroyForcibly();
        throw new IllegalStateException("The Kafka broker was not ready within " + READY_TIMEOUT + "; see " + logFile);
    }

    private Process running() {
        if (process == null) {
            throw new IllegalStateException("The Kafka broker's JVM was never started");
        }
        return process;
    }

    private static void awaitExit(Process process) {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
