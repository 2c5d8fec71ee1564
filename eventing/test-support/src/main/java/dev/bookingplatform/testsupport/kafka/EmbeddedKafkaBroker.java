package dev.bookingplatform.testsupport.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;

import dev.bookingplatform.testsupport.FreePorts;

/**
 * Apache Kafka's own KRaft server (broker and controller in one node) running inside this JVM.
 *
 * <p>It can be stopped and started again on the same port and log directory, so tests can take the
 * broker away and bring it back with its data.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private static final String BROKER_SETTING_PREFIX = "bookingplatform.kafka.broker.";

    private final String host;

    private final int port;

    private final int controllerPort;

    private final Path logDirectory;

    private final boolean deleteOnClose;

    private @Nullable KafkaRaftServer server;

    private EmbeddedKafkaBroker(String host, int port, int controllerPort, Path logDirectory, boolean deleteOnClose) {
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDirectory = logDirectory;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a broker on free ports with a temporary log directory, deleted on {@link #close()}. */
    public static EmbeddedKafkaBroker start() {
        try {
            return start(0, Files.createTempDirectory("kafka-"), true);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No temporary directory for the Kafka log", ex);
        }
    }

    /** Starts a broker on {@code port} (0: a free one) keeping its log in {@code logDirectory}. */
    public static EmbeddedKafkaBroker start(int port, Path logDirectory, boolean deleteOnClose) {
        return start(port, 0, logDirectory, deleteOnClose);
    }

    /**
     * The same, with the controller on {@code controllerPort} (0: a free one): a broker started again in a new
     * process on the same log directory must find its controller where the metadata log says it was.
     */
    public static EmbeddedKafkaBroker start(int port, int controllerPort, Path logDirectory, boolean deleteOnClose) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker("localhost", port > 0 ? port : FreePorts.next(),
                controllerPort > 0 ? controllerPort : FreePorts.next(), logDirectory, deleteOnClose);
        broker.startServer();
        return broker;
    }

    /**
     * A broker that listens and advertises itself on {@code host} (an address of this machine other than loopback),
     * so clients in a network namespace can reach it; clients on this host reach it there too.
     */
    public static EmbeddedKafkaBroker startOn(String host) {
        try {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(host, FreePorts.next(), FreePorts.next(),
                    Files.createTempDirectory("kafka-"), true);
            broker.startServer();
            return broker;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No temporary directory for the Kafka log", ex);
        }
    }

    @Override
    public String bootstrapServers() {
        return host + ":" + port;
    }

    /** Starts the server again after {@link #stop()}, on the same port and log directory. */
    public synchronized void startServer() {
        if (server != null) {
            return;
        }
        KafkaConfig config = new KafkaConfig(serverProperties(), false);
        formatOnce(config);
        KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
        started.startup();
        server = started;
        awaitReady();
    }

    /** Stops the server, keeping its log so that {@link #startServer()} brings the same data back. */
    public synchronized void stop() {
        KafkaRaftServer running = server;
        if (running == null) {
            return;
        }
        running.shutdown();
        running.awaitShutdown();
        server = null;
    }

    public boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
        if (deleteOnClose) {
            deleteRecursively(logDirectory);
        }
    }

    private Properties serverProperties() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDirectory.toString());
        props.put("num.partitions", "3");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        // For experiments (the relay benchmark): -Dbookingplatform.kafka.broker.<setting>=<value> sets any broker setting.
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(BROKER_SETTING_PREFIX))
                .forEach(name -> props.put(name.substring(BROKER_SETTING_PREFIX.length()), System.getProperty(name)));
        return props;
    }

    private void formatOnce(KafkaConfig config) {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(config.nodeId())
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDirectory.toString())
                    .addDirectory(logDirectory.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not format the Kafka log directory " + logDirectory, ex);
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Embedded Kafka broker on " + bootstrapServers() + " did not become ready", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", ex);
        }
    }

    static void deleteRecursively(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            // A leftover temporary directory is not worth failing a test run for.
        }
    }
}
