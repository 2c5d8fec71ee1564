package dev.bookingplatform.eventing.deadletter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.RetryListener;

/** Remembers how many times each failing record was delivered, for the dead letter's attempts header. */
final class DeliveryAttempts implements RetryListener {

    private final Map<Key, Integer> attempts = new ConcurrentHashMap<>();

    @Override
    public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
        attempts.put(Key.of(record), deliveryAttempt);
    }

    @Override
    public void recovered(ConsumerRecord<?, ?> record, Exception ex) {
        attempts.remove(Key.of(record));
    }

    int of(ConsumerRecord<?, ?> record) {
        return attempts.getOrDefault(Key.of(record), 1);
    }

    private record Key(TopicPartition partition, long offset) {

        static Key of(ConsumerRecord<?, ?> record) {
            return new Key(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
    }
}
