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

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "eventing-consumer-meters");
        thread.setDaemon(true);
        return thread;
    });

    private final Map<String, KafkaClientMetrics> bound = new ConcurrentHashMap<>();

    KafkaConsumerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void consumerAdded(String id, Consumer<byte[], ReceivedEvent> consumer) {
        bound.computeIfAbsent(id, key -> {
            // The same tag Spring's listener gives, so dashboards written against it keep working.
            KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, List.of(Tag.of("spring.id", id)), scheduler, REFRESH);
            metrics.bindTo(registry);
            return metrics;
        });
    }

    @Override
    public void consumerRemoved(String id, Consumer<byte[], ReceivedEvent> consumer) {
        KafkaClientMetrics metrics = bound.remove(id);
        if (metrics != null) {
            metrics.close();
        }
    }

    @Override
    public void close() {
        bound.values().forEach(KafkaClientMetrics::close);
        bound.clear();
        scheduler.shutdownNow();
    }
}
