package dev.bookingplatform.eventing.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The Kafka client settings our own clients (relay producer, consumer, dead-letter producer) start from: every
 * {@code spring.kafka.*} setting the application has (security protocol, TLS and SSL bundles, SASL,
 * {@code properties.*}), so a
 * cluster that needs them works without settings of our own. Each client then sets what its guarantees need.
 *
 * @param producer for the relay and the dead-letter producer
 * @param consumer for the event consumer
 */
record KafkaClientProperties(Map<String, Object> producer, Map<String, Object> consumer) {

    static KafkaClientProperties bootstrapOnly(String bootstrapServers) {
        Map<String, Object> bootstrap = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaClientProperties(bootstrap, bootstrap);
    }

    /**
     * From the producer and consumer factories Spring Boot configured: they carry what {@code KafkaProperties}
     * alone does not, the connection details and an SSL bundle ({@code spring.kafka.ssl.bundle}).
     */
    static KafkaClientProperties from(Map<String, Object> producerFactory, Map<String, Object> consumerFactory,
            String bootstrapServers) {
        return new KafkaClientProperties(withBootstrap(producerFactory, bootstrapServers),
                withBootstrap(consumerFactory, bootstrapServers));
    }

    private static Map<String, Object> withBootstrap(Map<String, Object> built, String bootstrapServers) {
        Map<String, Object> properties = new HashMap<>();
        built.forEach((key, value) -> {
            if (value != null) {
                properties.put(key, value);
            }
        });
        // Boot's connection details decide where the cluster is; the property only where they say nothing.
        properties.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Map.copyOf(properties);
    }
}
