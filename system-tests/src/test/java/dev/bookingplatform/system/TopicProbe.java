package dev.bookingplatform.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic as it stands, as an ops tool would, without joining any consumer group. */
final class TopicProbe {

    private TopicProbe() {
    }

    static List<ConsumerRecord<String, byte[]>> records(String bootstrapServers, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The {@code eventType} headers of the records keyed {@code key}, in order. */
    static List<String> eventTypes(String bootstrapServers, String topic, String key) {
        return records(bootstrapServers, topic).stream().filter(record -> key.equals(record.key()))
                .map(record -> header(record, "eventType")).toList();
    }

    /** The {@code eventType} headers by key, for every key of the topic, from one read of the whole topic. */
    static Map<String, List<String>> eventTypesByKey(String bootstrapServers, String topic) {
        return records(bootstrapServers, topic).stream().filter(record -> record.key() != null)
                .collect(java.util.stream.Collectors.groupingBy(ConsumerRecord::key,
                        java.util.stream.Collectors.mapping(record -> header(record, "eventType"), java.util.stream.Collectors.toList())));
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
