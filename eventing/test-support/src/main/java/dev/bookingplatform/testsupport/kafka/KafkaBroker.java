package dev.bookingplatform.testsupport.kafka;

/** A running Kafka broker, reachable at {@link #bootstrapServers()}. */
public interface KafkaBroker extends AutoCloseable {

    String bootstrapServers();

    @Override
    void close();
}
