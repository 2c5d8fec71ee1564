package dev.bookingplatform.testsupport.kafka;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Apache Kafka in KRaft mode on Testcontainers, the same version as the clients. */
public final class ContainerKafkaBroker implements KafkaBroker {

    private static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.3.0");

    private final KafkaContainer container;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
    }

    public static ContainerKafkaBroker start() {
        KafkaContainer container = new KafkaContainer(IMAGE).withEnv("KAFKA_NUM_PARTITIONS", "3");
        container.start();
        return new ContainerKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
