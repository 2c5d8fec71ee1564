package dev.bookingplatform.testsupport.registry;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** Apicurio Registry 3.0 on Testcontainers: the same registry as the embedded variant. */
public final class ContainerSchemaRegistry implements SchemaRegistry {

    private static final DockerImageName IMAGE = DockerImageName
            .parse("apicurio/apicurio-registry:" + ApicurioDistribution.VERSION);

    private static final int PORT = 8080;

    private final GenericContainer<?> container;

    private ContainerSchemaRegistry(GenericContainer<?> container) {
        this.container = container;
    }

    public static ContainerSchemaRegistry start() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withExposedPorts(PORT)
                .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forStatusCode(200));
        container.start();
        return new ContainerSchemaRegistry(container);
    }

    @Override
    public String url() {
        return "http://" + container.getHost() + ":" + container.getMappedPort(PORT) + "/apis/ccompat/v7";
    }

    @Override
    public void close() {
        container.stop();
    }
}
