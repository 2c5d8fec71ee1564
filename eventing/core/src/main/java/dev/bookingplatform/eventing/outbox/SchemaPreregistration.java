package dev.bookingplatform.eventing.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.bookingplatform.events.EventType;
import dev.bookingplatform.events.registry.SchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistryException;
import dev.bookingplatform.events.registry.SubjectNames;

/**
 * Registers every event's schema when the service starts, so the registry client's cache already holds each
 * id before the first {@link OutboxWriter#append}: otherwise the first event of a type waits for the registry
 * inside the business transaction, and under load (or a slow registry) that wait exceeds its timeout and
 * fails the request or the job that wrote it. Registering an identical schema again is idempotent, so every
 * service may register the whole catalogue; they all carry the same one. A registry that does not answer
 * does not hold the service's start: what is left is tried again in the background until it is done.
 */
public final class SchemaPreregistration implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SchemaPreregistration.class);

    private final SchemaRegistryClient registry;

    private final Duration retryInterval;

    private final List<EventType> pending = new ArrayList<>(List.of(EventType.values()));

    private ScheduledExecutorService retries;

    private boolean running;

    public SchemaPreregistration(SchemaRegistryClient registry, Duration retryInterval) {
        this.registry = registry;
        this.retryInterval = retryInterval;
    }

    @Override
    public synchronized void start() {
        running = true;
        if (!registerPending()) {
            retries = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "schema-preregistration");
                thread.setDaemon(true);
                return thread;
            });
            retries.scheduleWithFixedDelay(this::retry, retryInterval.toMillis(), retryInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void retry() {
        if (registerPending() && retries != null) {
            retries.shutdown();
        }
    }

    /** @return whether every schema is registered */
    private boolean registerPending() {
        while (!pending.isEmpty()) {
            EventType type = pending.get(0);
            try {
                registry.register(SubjectNames.topicRecordName(type.topic(), type.schema()), type.schema());
                pending.remove(0);
            }
            catch (SchemaRegistryException ex) {
                log.warn("Registering the schemas of {} event types failed at {}; trying again every {}: {}", pending.size(),
                        type.typeName(), retryInterval, ex.getMessage());
                return false;
            }
        }
        return true;
    }

    /** @return the event types whose schema is not registered yet (for health and tests) */
    public synchronized List<EventType> pending() {
        return List.copyOf(pending);
    }

    @Override
    public synchronized void stop() {
        if (retries != null) {
            retries.shutdownNow();
            retries = null;
        }
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }
}
