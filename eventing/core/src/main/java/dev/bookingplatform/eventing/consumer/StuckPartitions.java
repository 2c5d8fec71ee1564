package dev.bookingplatform.eventing.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.listener.RetryListener;

/**
 * Which partitions are retrying one record, since when, and why. A transient failure is retried for as long as it
 * lasts, so a failure misclassified as transient would block its partition forever; this makes it visible:
 * health and metrics report a partition stuck longer than the configured time, with the record's coordinates.
 */
public final class StuckPartitions implements RecordInterceptor<Object, Object>, RetryListener, ConsumerAwareRebalanceListener {

    private final Map<TopicPartition, Stuck> retrying = new ConcurrentHashMap<>();

    private final Clock clock;

    public StuckPartitions(Clock clock) {
        this.clock = clock;
    }

    /** Partitions retrying the same record for longer than {@code threshold}, the longest first. */
    public List<Stuck> longerThan(Duration threshold) {
        Instant cutoff = clock.instant().minus(threshold);
        return retrying.values().stream().filter(stuck -> stuck.since().isBefore(cutoff))
                .sorted(Comparator.comparing(Stuck::since)).toList();
    }

    @Override
    public @Nullable ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        return record;
    }

    @Override
    public void failure(ConsumerRecord<Object, Object> record, Exception exception, Consumer<Object, Object> consumer) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        retrying.compute(partition, (key, previous) -> previous != null && previous.offset() == record.offset()
                ? previous.failedAgain(exception) : Stuck.first(record, exception, clock.instant()));
    }

    @Override
    public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        retrying.remove(new TopicPartition(record.topic(), record.partition()));
    }

    @Override
    public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
        // Counted in failure(), which also sees the first delivery.
    }

    @Override
    public void recovered(ConsumerRecord<?, ?> record, Exception ex) {
        // Dead-lettered: the partition moves on.
        retrying.remove(new TopicPartition(record.topic(), record.partition()));
    }

    @Override
    public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(retrying::remove);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(retrying::remove);
    }

    /**
     * @param topic the record's topic
     * @param partition its partition
     * @param offset its offset
     * @param since the first failure
     * @param attempts deliveries so far
     * @param lastError the last failure
     */
    public record Stuck(String topic, int partition, long offset, Instant since, int attempts, String lastError) {

        static Stuck first(ConsumerRecord<?, ?> record, Exception error, Instant now) {
            return new Stuck(record.topic(), record.partition(), record.offset(), now, 1, describe(error));
        }

        Stuck failedAgain(Exception error) {
            return new Stuck(topic, partition, offset, since, attempts + 1, describe(error));
        }

        private static String describe(Throwable error) {
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root == error ? error.toString() : error + " (caused by " + root + ")";
        }
    }
}
