package dev.bookingplatform.testsupport;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.testsupport.kafka.ContainerKafkaBroker;
import dev.bookingplatform.testsupport.kafka.EmbeddedKafkaBroker;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.ContainerPostgresServer;
import dev.bookingplatform.testsupport.postgres.EmbeddedPostgresServer;
import dev.bookingplatform.testsupport.postgres.PostgresServer;
import dev.bookingplatform.testsupport.registry.ApicurioRegistryProcess;
import dev.bookingplatform.testsupport.registry.ContainerSchemaRegistry;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

/**
 * The shared PostgreSQL server, Kafka broker and schema registry of this JVM: each started on first use,
 * in the {@link InfrastructureMode} detected once, and stopped when the JVM exits.
 */
public final class Infrastructure {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private static @Nullable InfrastructureMode mode;

    private static @Nullable PostgresServer postgres;

    private static @Nullable KafkaBroker kafka;

    private static @Nullable SchemaRegistry registry;

    private static final Deque<AutoCloseable> started = new ArrayDeque<>();

    private static final Map<String, Duration> startupTimes = new LinkedHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Infrastructure::stopAll, "infrastructure-shutdown"));
    }

    private Infrastructure() {
    }

    public static synchronized InfrastructureMode mode() {
        if (mode == null) {
            mode = InfrastructureMode.detect();
            log.info("Test infrastructure runs {}", mode == InfrastructureMode.CONTAINERS
                    ? "on Testcontainers (a Docker engine answered)" : "embedded (no Docker engine)");
        }
        return mode;
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = timed("PostgreSQL", mode() == InfrastructureMode.CONTAINERS
                    ? ContainerPostgresServer::start : EmbeddedPostgresServer::start);
        }
        return postgres;
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = timed("Kafka", mode() == InfrastructureMode.CONTAINERS
                    ? ContainerKafkaBroker::start : EmbeddedKafkaBroker::start);
        }
        return kafka;
    }

    public static synchronized SchemaRegistry registry() {
        if (registry == null) {
            registry = timed("Schema registry", mode() == InfrastructureMode.CONTAINERS
                    ? ContainerSchemaRegistry::start : ApicurioRegistryProcess::start);
        }
        return registry;
    }

    /** How long each piece took to start in this JVM, in start order. */
    public static synchronized Map<String, Duration> startupTimes() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(startupTimes));
    }

    private static <T extends AutoCloseable> T timed(String name, Supplier<T> starter) {
        long begin = System.nanoTime();
        T component = starter.get();
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        started.push(component);
        startupTimes.put(name, took);
        log.info("{} ready in {} ms", name, took.toMillis());
        return component;
    }

    /**
     * Stops every piece started, newest first; also runs on JVM exit. For a main run inside Maven's JVM
     * (a benchmark through exec:java), whose non-daemon broker threads would otherwise keep Maven waiting.
     */
    public static synchronized void stopAll() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            }
            catch (Exception ex) {
                log.warn("Could not stop {} cleanly", component.getClass().getSimpleName(), ex);
            }
        }
    }
}
