package dev.bookingplatform.eventing.consumer;

import java.util.Map;

/**
 * @param bootstrapServers the Kafka cluster
 * @param consumerGroup this service's consumer group; also the inbox's key and part of the DLT names
 * @param concurrency consumer threads (at most one per partition does work)
 * @param autoOffsetReset where a new group starts: {@code earliest} (nothing missed) or {@code latest}
 * @param clientProperties the application's consumer settings (TLS, SASL and the rest of {@code spring.kafka.*}),
 *        beneath ours
 * @param deadLetterProducerProperties the application's producer settings, for the dead-letter producer
 * @param defaultRetry the retry policy of handlers that declare none
 */
public record EventConsumerSettings(String bootstrapServers, String consumerGroup, int concurrency, String autoOffsetReset,
        Map<String, Object> clientProperties, Map<String, Object> deadLetterProducerProperties, RetryPolicy defaultRetry) {

    public EventConsumerSettings {
        clientProperties = Map.copyOf(clientProperties);
        deadLetterProducerProperties = Map.copyOf(deadLetterProducerProperties);
    }

    public EventConsumerSettings(String bootstrapServers, String consumerGroup, int concurrency) {
        this(bootstrapServers, consumerGroup, concurrency, "earliest", Map.of(), Map.of(), RetryPolicy.defaults());
    }
}
