package dev.bookingplatform.eventing.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The Kafka client settings our own clients (relay producer, consumer, dead-letter producer) start from: every
 * {@code spring.kafka.*} setting the application has (security protocol, TLS, SASL, {@code properties.*}), so a
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

    static KafkaClientProperties from(org.springframework.boot.kafka.autoconfigure.KafkaProperties kafka, String bootstrapServers) {
        return new KafkaClientProperties(withBootstrap(kafka.buildProducerProperties(), bootstrapServers),
                withBootstrap(kafka.buildConsumerProperties(), bootstrapServers));
    }

    private static Map<String, Object> withBootstrap(Map<String, Object> built, String bootstrapServers) {
        Map<String, Object> properties = new HashMap<>();
        built.forEach((key, value) -> {
            if (value != null) {
                properties.put(key, value);
            }
        });
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Map.copyOf(properties);
    }
}
