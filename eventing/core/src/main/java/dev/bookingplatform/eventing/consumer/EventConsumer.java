package dev.bookingplatform.eventing.consumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import dev.bookingplatform.eventing.deadletter.DeadLetterErrorHandler;
import dev.bookingplatform.events.registry.SchemaRegistryClient;

/**
 * One service's consumer: subscribes its group to every topic it has handlers for, decodes with the
 * registry, dispatches through {@link IdempotentEventDispatcher}, and commits a record's offset only after
 * its transaction (or its dead letter was written): once per poll, for the records of that poll applied so far.
 */
public final class EventConsumer implements AutoCloseable {

    private final ConcurrentMessageListenerContainer<byte[], ReceivedEvent> container;

    private final StuckPartitions stuck;

    private final KafkaConsumerMeters kafkaMeters;

    public EventConsumer(EventConsumerSettings settings, List<HandlerRegistration<?>> registrations,
            IdempotentEventDispatcher dispatcher, SchemaRegistryClient registry) {
        this(settings, registrations, dispatcher, registry, java.time.Clock.systemUTC());
    }

    public EventConsumer(EventConsumerSettings settings, List<HandlerRegistration<?>> registrations,
            IdempotentEventDispatcher dispatcher, SchemaRegistryClient registry, java.time.Clock clock) {
        this.stuck = new StuckPartitions(clock);
        String[] topics = registrations.stream().map(HandlerRegistration::topic).distinct().toArray(String[]::new);
        if (topics.length == 0) {
            throw new IllegalArgumentException("Consumer group " + settings.consumerGroup() + " has no handlers");
        }
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.autoOffsetReset());
        // The relay publishes in transactions: a fenced zombie's aborted batch is never seen.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        DefaultKafkaConsumerFactory<byte[], ReceivedEvent> consumers = new DefaultKafkaConsumerFactory<>(config,
                new ByteArrayDeserializer(), new ErrorHandlingDeserializer<>(new ReceivedEventDeserializer(registry)));
        kafkaMeters = new KafkaConsumerMeters(dispatcher.meters().registry());
        consumers.addListener(kafkaMeters);
        ContainerProperties properties = new ContainerProperties(topics);
        properties.setGroupId(settings.consumerGroup());
        // One offset commit per poll, not per record: a commit is a broker round trip on the consumer's thread and a
        // write of the group coordinator's. A crash re-delivers what the poll had applied, which the inbox drops.
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        // The delivery count of each record reaches the inbox row, for the booking's timeline.
        properties.setDeliveryAttemptHeader(true);
        properties.setMessageListener((MessageListener<byte[], ReceivedEvent>) dispatcher::dispatch);
        properties.setConsumerRebalanceListener(stuck);
        container = new ConcurrentMessageListenerContainer<>(consumers, properties);
        container.setConcurrency(settings.concurrency());
        container.setRecordInterceptor(recordInterceptor());
        container.setCommonErrorHandler(DeadLetterErrorHandler.create(settings.bootstrapServers(), settings.deadLetterProducerProperties(),
                settings.consumerGroup(), stuck, record -> {
                    HandlerRegistration<?> registration = record.value() instanceof ReceivedEvent received
                            ? dispatcher.registrationFor(record.topic(), received.event()) : null;
                    return registration != null ? registration.retryPolicyOr(settings.defaultRetry()) : settings.defaultRetry();
                }, dispatcher.deadLetterIndex(), dispatcher.meters()));
        container.setBeanName("event-consumer-" + settings.consumerGroup());
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private RecordInterceptor<byte[], ReceivedEvent> recordInterceptor() {
        return (RecordInterceptor) stuck;
    }

    /** Partitions retrying one record, for health and metrics. */
    public StuckPartitions stuckPartitions() {
        return stuck;
    }

    public void start() {
        container.start();
    }

    /** Partitions currently assigned to this consumer's threads (0 until the group has rebalanced). */
    public int assignedPartitionCount() {
        var assigned = container.getAssignedPartitions();
        return assigned == null ? 0 : assigned.size();
    }

    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public void close() {
        container.stop();
        kafkaMeters.close();
    }
}
