package dev.bookingplatform.events.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the registry is and how long to wait for it.
 *
 * @param url base URL of the Confluent-compatible API: {@code http://host:8081} for Confluent Schema
 *        Registry, {@code http://host:8080/apis/ccompat/v7} for Apicurio Registry
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for an answer to one request
 */
public record SchemaRegistrySettings(URI url, Duration connectTimeout, Duration requestTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public SchemaRegistrySettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        String text = url.toString();
        if (text.endsWith("/")) {
            url = URI.create(text.substring(0, text.length() - 1));
        }
    }

    public static SchemaRegistrySettings of(String url) {
        return new SchemaRegistrySettings(URI.create(url), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }
}
