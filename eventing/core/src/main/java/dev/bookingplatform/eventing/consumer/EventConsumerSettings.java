package dev.bookingplatform.eventing.consumer;

/**
 * @param bootstrapServers the Kafka cluster
 * @param consumerGroup this service's consumer group; also the inbox's key and part of the DLT names
 * @param concurrency consumer threads (at most one per partition does work)
 * @param autoOffsetReset where a new group starts: {@code earliest} (nothing missed) or {@code latest}
 */
public record EventConsumerSettings(String bootstrapServers, String consumerGroup, int concurrency, String autoOffsetReset) {

    public EventConsumerSettings(String bootstrapServers, String consumerGroup, int concurrency) {
        this(bootstrapServers, consumerGroup, concurrency, "earliest");
    }
}
