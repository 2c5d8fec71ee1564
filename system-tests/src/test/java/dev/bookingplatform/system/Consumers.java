package dev.bookingplatform.system;

import org.springframework.context.SmartLifecycle;

import dev.bookingplatform.localstack.system.RunningService;

/**
 * Stops a service's Kafka consumer and starts it again, as an outage of that service's consuming side would:
 * its events wait in the topics, its API and jobs keep running. For scenarios that need one service to
 * hear of something late.
 */
final class Consumers implements AutoCloseable {

    private final SmartLifecycle consumer;

    private Consumers(SmartLifecycle consumer) {
        this.consumer = consumer;
    }

    static Consumers pause(RunningService service) {
        SmartLifecycle consumer = ((RunningService.InJvm) service).context().getBean("eventConsumer", SmartLifecycle.class);
        consumer.stop();
        return new Consumers(consumer);
    }

    /** Starts consuming again, from the committed offsets. */
    @Override
    public void close() {
        if (!consumer.isRunning()) {
            consumer.start();
        }
    }
}
