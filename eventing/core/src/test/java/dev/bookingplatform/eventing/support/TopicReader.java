package dev.bookingplatform.eventing.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import static org.awaitility.Awaitility.await;

/**
 * Reads a topic from the beginning, keeping only the records a test cares about (topics are shared by
 * every test in the JVM, so tests pick their own records by key).
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;

    private final Predicate<ConsumerRecord<String, byte[]>> mine;

    private final List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic, Predicate<ConsumerRecord<String, byte[]>> mine) {
        this.mine = mine;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                // As our consumers read: a fenced relay's aborted batch is invisible.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.partitionsFor(topic).isEmpty());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public static TopicReader forKeys(String bootstrapServers, String topic, Set<String> keys) {
        return new TopicReader(bootstrapServers, topic, record -> keys.contains(record.key()));
    }

    /** Polls until at least {@code count} of this test's records arrived; returns all received so far. */
    public List<ConsumerRecord<String, byte[]>> awaitAtLeast(int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            poll();
            return received.size() >= count;
        });
        return List.copyOf(received);
    }

    /**
     * Polls until what arrived so far satisfies {@code done}; a count alone is not enough where the relay may
     * re-deliver (at-least-once): a duplicate can make up the count while a key's last record is still on its way.
     */
    public List<ConsumerRecord<String, byte[]>> awaitUntil(Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> done.test(poll()));
        return List.copyOf(received);
    }

    public List<ConsumerRecord<String, byte[]>> poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(record -> {
            if (mine.test(record)) {
                received.add(record);
            }
        });
        return List.copyOf(received);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
