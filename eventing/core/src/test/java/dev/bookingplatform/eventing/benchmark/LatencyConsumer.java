package dev.bookingplatform.eventing.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Consumes one topic on its own thread, remembering when each event id first arrived. */
final class LatencyConsumer implements AutoCloseable {

    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();

    private final Thread thread;

    private volatile boolean running = true;

    LatencyConsumer(String bootstrapServers, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5",
                // As our consumers read: an event counts as arrived once its transaction committed.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    consumer.poll(Duration.ofMillis(20)).forEach(record -> {
                        long now = System.nanoTime();
                        Header id = record.headers().lastHeader("eventId");
                        if (id != null) {
                            receivedAt.putIfAbsent(new String(id.value(), StandardCharsets.UTF_8), now);
                        }
                    });
                }
            }
        }, "latency-consumer");
        thread.start();
    }

    /** When each event id first arrived (System.nanoTime); the driver warms up first, so no rebalance is measured. */
    Map<String, Long> receivedAt() {
        return receivedAt;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
