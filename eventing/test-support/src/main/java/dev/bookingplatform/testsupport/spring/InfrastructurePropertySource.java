package dev.bookingplatform.testsupport.spring;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.PropertySource;

import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

/**
 * Answers the infrastructure properties on demand, so a context that never reads the registry URL never
 * starts a registry. The database is created on the first read and kept for the context's lifetime.
 */
final class InfrastructurePropertySource extends PropertySource<String> {

    static final String SCHEMA_REGISTRY_URL = "bookingplatform.schema-registry.url";

    private @Nullable PostgresDatabase database;

    InfrastructurePropertySource(String testClassName) {
        super("realInfrastructure", testClassName);
    }

    @Override
    public @Nullable Object getProperty(String name) {
        return switch (name) {
            case "spring.datasource.url" -> database().jdbcUrl();
            case "spring.datasource.username" -> database().username();
            case "spring.datasource.password" -> database().password();
            case "spring.kafka.bootstrap-servers" -> Infrastructure.kafka().bootstrapServers();
            case SCHEMA_REGISTRY_URL -> Infrastructure.registry().url();
            default -> null;
        };
    }

    private synchronized PostgresDatabase database() {
        if (database == null) {
            database = Infrastructure.postgres().createDatabase(getSource());
        }
        return database;
    }
}
