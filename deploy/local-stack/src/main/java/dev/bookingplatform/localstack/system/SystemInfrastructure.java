package dev.bookingplatform.localstack.system;

import java.util.function.Consumer;

import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

/**
 * Where the system's PostgreSQL, Kafka broker and schema registry come from: the test support's JVM-wide
 * ones for the system tests ({@link #shared}), or the local stack's own, which may keep their data across
 * restarts ({@code LocalInfrastructure}).
 */
public interface SystemInfrastructure {

    /** The database of one service ({@code booking}, {@code inventory}, ...). */
    PostgresDatabase database(String service);

    String kafkaBootstrapServers();

    String schemaRegistryUrl();

    /**
     * The test support's shared pieces (on containers when a Docker engine answers), started now if this
     * JVM has not yet; every call to {@link #database} creates a fresh database, so systems never meet.
     */
    static SystemInfrastructure shared(Consumer<String> progress) {
        progress.accept("Kafka broker");
        return sharedBut(Infrastructure.kafka().bootstrapServers(), progress);
    }

    /**
     * The shared PostgreSQL and registry, with a Kafka broker of its own: a second system in the same JVM
     * must not share topics and consumer groups with the first, or each would consume the other's events.
     */
    static SystemInfrastructure sharedBut(String kafkaBootstrapServers, Consumer<String> progress) {
        progress.accept("PostgreSQL");
        var postgres = Infrastructure.postgres();
        progress.accept("Schema registry (Apicurio)");
        var registry = Infrastructure.registry();
        return new SystemInfrastructure() {

            @Override
            public PostgresDatabase database(String service) {
                return postgres.createDatabase(service);
            }

            @Override
            public String kafkaBootstrapServers() {
                return kafkaBootstrapServers;
            }

            @Override
            public String schemaRegistryUrl() {
                return registry.url();
            }
        };
    }
}
