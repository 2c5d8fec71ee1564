package dev.bookingplatform.localstack;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.localstack.system.SystemInfrastructure;
import dev.bookingplatform.testsupport.kafka.EmbeddedKafkaBroker;
import dev.bookingplatform.testsupport.postgres.EmbeddedPostgresServer;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.ApicurioRegistryProcess;

/**
 * The local stack's own PostgreSQL, Kafka broker and Apicurio Registry, on the ports asked for, keeping
 * their data under one directory. Databases have fixed names ({@code booking}, ...), so a stack started
 * again on the same directory finds its bookings, its outbox offsets and its topics where it left them;
 * the registry keeps its schemas in PostgreSQL too, so the ids inside retained records still resolve.
 */
final class LocalInfrastructure implements SystemInfrastructure, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

    // Volatile: Ctrl-C during start-up stops, from the shutdown hook's thread, what has started so far.
    private volatile @Nullable EmbeddedPostgresServer postgres;

    private volatile @Nullable EmbeddedKafkaBroker kafka;

    private volatile @Nullable ApicurioRegistryProcess registry;

    private volatile @Nullable Path registryPidFile;

    /** Starts the three pieces in order; on a failure, stops what already runs before rethrowing. */
    void start(LocalPorts ports, Path dataDirectory, Consumer<String> progress, java.util.function.ObjLongConsumer<String> started) {
        try {
            progress.accept("PostgreSQL");
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(ports.of("postgres-port"),
                    dataDirectory.resolve("postgres"));
            postgres = server;
            started.accept("postgres", LeftBehindProcesses.pid(dataDirectory.resolve("postgres").resolve("postmaster.pid"))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL started but names no pid in its data directory")));
            progress.accept("Kafka broker");
            kafka = EmbeddedKafkaBroker.start(ports.of("kafka-port"), dataDirectory.resolve("kafka"), false);
            progress.accept("Schema registry (Apicurio)");
            PostgresDatabase schemas = server.databaseNamed("registry");
            registry = ApicurioRegistryProcess.start(ports.of("registry-port"), Map.of(
                    "apicurio.storage.kind", "sql",
                    "apicurio.storage.sql.kind", "postgresql",
                    "apicurio.datasource.url", schemas.jdbcUrl(),
                    "apicurio.datasource.username", schemas.username(),
                    "apicurio.datasource.password", "local",
                    // Its default pool opens 20 connections at start; a developer's registry needs few.
                    "apicurio.datasource.jdbc.initial-size", "2",
                    "apicurio.datasource.jdbc.min-size", "2",
                    "apicurio.datasource.jdbc.max-size", "10"));
            started.accept("registry", registry.pid());
            // For the next start, should the switch be gone too: PostgreSQL names its own pid in its data directory.
            Path pidFile = dataDirectory.resolve(LeftBehindProcesses.REGISTRY_PID);
            java.nio.file.Files.writeString(pidFile, Long.toString(registry.pid()));
            registryPidFile = pidFile;
        }
        catch (java.io.IOException ex) {
            close();
            throw new java.io.UncheckedIOException("Cannot write the registry's pid file", ex);
        }
        catch (RuntimeException failed) {
            close();
            throw failed;
        }
    }

    @Override
    public PostgresDatabase database(String service) {
        return running(postgres, "PostgreSQL").databaseNamed(service);
    }

    @Override
    public String kafkaBootstrapServers() {
        return running(kafka, "Kafka").bootstrapServers();
    }

    @Override
    public String schemaRegistryUrl() {
        return running(registry, "the schema registry").url();
    }

    /** Stops the registry, then Kafka, then PostgreSQL: the reverse of their start. */
    @Override
    public synchronized void close() {
        stop(registry);
        registry = null;
        Path pidFile = registryPidFile;
        if (pidFile != null) {
            pidFile.toFile().delete();
            registryPidFile = null;
        }
        stop(kafka);
        kafka = null;
        stop(postgres);
        postgres = null;
    }

    private static void stop(@Nullable AutoCloseable piece) {
        if (piece == null) {
            return;
        }
        try {
            piece.close();
        }
        catch (Exception ex) {
            log.warn("Could not stop {} cleanly", piece.getClass().getSimpleName(), ex);
        }
    }

    private static <T> T running(@Nullable T piece, String name) {
        if (piece == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return piece;
    }
}
