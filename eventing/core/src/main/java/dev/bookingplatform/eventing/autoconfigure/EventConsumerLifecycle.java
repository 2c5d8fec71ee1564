package dev.bookingplatform.eventing.autoconfigure;

import org.springframework.context.SmartLifecycle;

import dev.bookingplatform.eventing.consumer.EventConsumer;

/** Starts consuming once the context is ready and stops before it closes. */
final class EventConsumerLifecycle implements SmartLifecycle {

    private final EventConsumer consumer;

    EventConsumerLifecycle(EventConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public void start() {
        consumer.start();
    }

    @Override
    public void stop() {
        consumer.close();
    }

    @Override
    public boolean isRunning() {
        return consumer.isRunning();
    }

    EventConsumer consumer() {
        return consumer;
    }
}
