package dev.bookingplatform.eventing.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.kafka.core.ConsumerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Kafka's own consumer metrics, records-lag per partition among them, on the service's registry. Spring's
 * {@code MicrometerConsumerListener} looks for new client metrics once a minute, so a partition's lag appeared
 * up to a minute after its assignment; this looks every {@link #REFRESH}, which costs one scan of the client's
 * metric map.
 */
final class KafkaConsumerMeters implements ConsumerFactory.Listener<byte[], ReceivedEvent>, AutoCloseable {

    static final Duration REFRESH = Duration.ofSeconds(10);

    private final MeterRegistry registry;

    private final Map<String, Bound> bound = new ConcurrentHashMap<>();

    /**
     * One consumer's meters and the thread that refreshes them. Micrometer leaves a scheduler it was given
     * running, refresh task included, when the meters close: so each consumer gets its own, shut down with
     * it, and a container restarted later simply binds anew.
     */
    private record Bound(KafkaClientMetrics metrics, ScheduledExecutorService refresher) {

        void close() {
            refresher.shutdownNow();
            try {
                // A refresh still running would bind its meters after close() removed them: stale lag, held forever.
                refresher.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            metrics.close();
        }
    }

    KafkaConsumerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void consumerAdded(String id, Consumer<byte[], ReceivedEvent> consumer) {
        bound.computeIfAbsent(id, key -> {
            ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "eventing-consumer-meters-" + id);
                thread.setDaemon(true);
                return thread;
            });
            // The same tag Spring's listener gives, so dashboards written against it keep working.
            KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, List.of(Tag.of("spring.id", id)), refresher, REFRESH);
            metrics.bindTo(registry);
            return new Bound(metrics, refresher);
        });
    }

    @Override
    public void consumerRemoved(String id, Consumer<byte[], ReceivedEvent> consumer) {
        Bound removed = bound.remove(id);
        if (removed != null) {
            removed.close();
        }
    }

    @Override
    public void close() {
        bound.values().forEach(Bound::close);
        bound.clear();
    }
}
