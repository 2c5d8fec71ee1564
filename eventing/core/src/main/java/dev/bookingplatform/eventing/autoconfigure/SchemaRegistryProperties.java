package dev.bookingplatform.eventing.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the schema registry is, under {@code bookingplatform.schema-registry}.
 *
 * @param url base URL of the Confluent-compatible API
 * @param connectTimeout connection timeout
 * @param requestTimeout timeout of one request
 */
@ConfigurationProperties("bookingplatform.schema-registry")
public record SchemaRegistryProperties(@DefaultValue("http://localhost:8081") String url,
        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration requestTimeout) {
}
