package dev.bookingplatform.events.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;

/**
 * Reads the serde's Kafka client properties. The URL key is Confluent's, so configurations written for
 * Confluent's serde keep working.
 */
public final class SerdeConfig {

    /** Base URL of the Confluent-compatible registry API. Required. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";

    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    private SerdeConfig() {
    }

    static SchemaRegistryClient registryClient(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException("Missing required property '" + SCHEMA_REGISTRY_URL + "' for the Avro serde");
        }
        return new RestSchemaRegistryClient(new SchemaRegistrySettings(URI.create(url.toString().trim()),
                millis(configs, CONNECT_TIMEOUT_MS, SchemaRegistrySettings.DEFAULT_CONNECT_TIMEOUT),
                millis(configs, REQUEST_TIMEOUT_MS, SchemaRegistrySettings.DEFAULT_REQUEST_TIMEOUT)));
    }

    private static Duration millis(Map<String, ?> configs, String key, Duration fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value.toString().trim()));
        }
        catch (NumberFormatException ex) {
            throw new ConfigException(key, value, "must be a number of milliseconds");
        }
    }
}
