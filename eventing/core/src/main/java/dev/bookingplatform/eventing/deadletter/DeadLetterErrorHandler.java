package dev.bookingplatform.eventing.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.listener.TimestampedException;
import org.springframework.kafka.support.SendResult;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.FixedBackOff;

import dev.bookingplatform.eventing.consumer.NonRetryableEventException;
import dev.bookingplatform.eventing.consumer.RetryPolicy;
import dev.bookingplatform.eventing.consumer.TransientFailures;
import dev.bookingplatform.eventing.correlation.CorrelationScope;
import dev.bookingplatform.eventing.metrics.EventingMeters;
import dev.bookingplatform.events.Topics;

/**
 * spring-kafka's {@link DefaultErrorHandler} and {@link DeadLetterPublishingRecoverer}, configured:
 * retries in place (so one key's events stay in order) with the handler's back-off; a transient failure
 * ({@link TransientFailures}: database, registry or network away) for as long as it lasts, never to the
 * dead-letter topic; none for non-retryable failures and undecodable records; then the original key and value bytes to
 * {@code <topic>.<group>.DLT} on the same partition with the standard {@code kafka_dlt-*} headers, the
 * original {@code eventId}/{@code eventType}/{@code correlationId} headers and {@code attempts}. If the
 * dead letter cannot be written, the recovery fails, the offset is not committed and the record comes
 * back later.
 */
public final class DeadLetterErrorHandler {

    /** Header with the number of deliveries before the record was dead-lettered. */
    public static final String ATTEMPTS_HEADER = "attempts";

    private static final Duration DLT_SEND_TIMEOUT = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(DeadLetterErrorHandler.class);

    private DeadLetterErrorHandler() {
    }

    /**
     * @param progress told of every failed delivery and recovery (the stuck-partition report)
     * @param retryPolicyOf the retry policy for a failed record (its handler's, or the default)
     */
    public static DefaultErrorHandler create(String bootstrapServers, Map<String, Object> clientProperties, String consumerGroup,
            RetryListener progress, Function<ConsumerRecord<?, ?>, RetryPolicy> retryPolicyOf, DeadLetterIndex index,
            EventingMeters meters) {
        DeliveryAttempts attempts = new DeliveryAttempts();
        DeadLetterPublishingRecoverer recoverer = new IndexingRecoverer(template(bootstrapServers, clientProperties),
                consumerGroup, index, attempts, meters);
        recoverer.setWaitForSendResultTimeout(DLT_SEND_TIMEOUT);
        recoverer.setFailIfSendResultIsError(true);
        recoverer.setHeadersFunction((record, ex) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add(ATTEMPTS_HEADER, Integer.toString(attempts.of(record)).getBytes(StandardCharsets.UTF_8));
            return headers;
        });

        DefaultErrorHandler handler = new CorrelatedErrorHandler(recoverer, RetryPolicy.defaults().toBackOff());
        // A registry outage while decoding is a DeserializationException too: classified below, not fatal by type.
        handler.removeClassification(DeserializationException.class);
        handler.setBackOffFunction((record, ex) -> {
            if (TransientFailures.isTransient(ex)) {
                return counting(TransientFailures.untilItPasses(retryPolicyOf.apply(record)),
                        () -> meters.retried(consumerGroup, record.topic(), true));
            }
            if (TransientFailures.isUndecodable(ex)) {
                return new FixedBackOff(0, 0);
            }
            return counting(retryPolicyOf.apply(record).toBackOff(), () -> meters.retried(consumerGroup, record.topic(), false));
        });
        handler.addNotRetryableExceptions(NonRetryableEventException.class);
        handler.setRetryListeners(attempts, new FailedDeliveryLog(), progress);
        // The dead-lettered record's offset is committed by the handler's ack-after-handle (with the poll's other acks);
        // spring-kafka honours commitRecovered only for MANUAL_IMMEDIATE, so it is not set.
        return handler;
    }

    /**
     * Counts each retry the back-off grants, when it grants it: a failure that ends in the dead-letter topic gets no
     * back-off, so a record dead-lettered after N deliveries counts N - 1 retries.
     */
    private static BackOff counting(BackOff backOff, Runnable retried) {
        return () -> {
            BackOffExecution execution = backOff.start();
            return () -> {
                long next = execution.nextBackOff();
                if (next != BackOffExecution.STOP) {
                    retried.run();
                }
                return next;
            };
        };
    }

    /**
     * Error handling runs after the listener's correlation scope closed: this opens the failed record's again (from its
     * headers), so the lines of its retries and its dead letter, spring-kafka's and ours, carry its correlation id.
     */
    private static final class CorrelatedErrorHandler extends DefaultErrorHandler {

        CorrelatedErrorHandler(DeadLetterPublishingRecoverer recoverer, BackOff backOff) {
            super(recoverer, backOff);
        }

        @Override
        public void handleRemaining(Exception thrownException, List<ConsumerRecord<?, ?>> records, Consumer<?, ?> consumer,
                MessageListenerContainer container) {
            try (CorrelationScope scope = scopeOf(records.isEmpty() ? null : records.get(0))) {
                super.handleRemaining(thrownException, records, consumer, container);
            }
        }

        @Override
        public boolean handleOne(Exception thrownException, ConsumerRecord<?, ?> record, Consumer<?, ?> consumer,
                MessageListenerContainer container) {
            try (CorrelationScope scope = scopeOf(record)) {
                return super.handleOne(thrownException, record, consumer, container);
            }
        }

        private static @Nullable CorrelationScope scopeOf(@Nullable ConsumerRecord<?, ?> record) {
            String correlationId = record == null ? null : header(record, "correlationId");
            if (correlationId == null) {
                return null;
            }
            String eventId = header(record, "eventId");
            try {
                return CorrelationScope.failing(correlationId, eventId == null ? null : UUID.fromString(eventId));
            }
            catch (IllegalArgumentException notAnEventIdOfOurs) {
                return CorrelationScope.failing(correlationId, null);
            }
        }
    }

    /** The handler's own exception, not spring-kafka's wrapper around it. */
    static Throwable rootFailure(@Nullable Exception exception) {
        if (exception == null) {
            return new IllegalStateException("unknown failure");
        }
        Throwable cause = exception;
        while ((cause instanceof ListenerExecutionFailedException || cause instanceof TimestampedException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static @Nullable String header(ConsumerRecord<?, ?> record, String name) {
        org.apache.kafka.common.header.Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * spring-kafka's recoverer, and then the index row, written only after the DLT acknowledged the record (a
     * failure here fails the recovery: the offset stays uncommitted and the record comes back, into the same row).
     */
    private static final class IndexingRecoverer extends DeadLetterPublishingRecoverer {

        private final String consumerGroup;

        private final DeadLetterIndex index;

        private final DeliveryAttempts attempts;

        private final EventingMeters meters;

        private final ThreadLocal<Exception> failure = new ThreadLocal<>();

        IndexingRecoverer(KafkaTemplate<byte[], Object> template, String consumerGroup, DeadLetterIndex index,
                DeliveryAttempts attempts, EventingMeters meters) {
            super(template, (record, ex) -> new TopicPartition(Topics.deadLetterTopic(record.topic(), consumerGroup),
                    record.partition()));
            this.consumerGroup = consumerGroup;
            this.index = index;
            this.attempts = attempts;
            this.meters = meters;
        }

        @Override
        public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, Exception exception) {
            failure.set(exception);
            try {
                super.accept(record, consumer, exception);
            }
            finally {
                failure.remove();
            }
        }

        @Override
        protected void verifySendResult(KafkaOperations<Object, Object> template, ProducerRecord<Object, Object> outRecord,
                @Nullable CompletableFuture<SendResult<Object, Object>> sendResult, ConsumerRecord<?, ?> inRecord) {
            super.verifySendResult(template, outRecord, sendResult, inRecord);
            if (sendResult == null) {
                throw new KafkaException("No result for the dead letter of " + inRecord.topic() + "-" + inRecord.partition()
                        + "@" + inRecord.offset());
            }
            RecordMetadata written;
            try {
                written = sendResult.get(DLT_SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getRecordMetadata();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new KafkaException("Interrupted while indexing a dead letter", ex);
            }
            catch (ExecutionException | TimeoutException ex) {
                throw new KafkaException("The dead letter of " + inRecord.topic() + "-" + inRecord.partition() + "@"
                        + inRecord.offset() + " was not acknowledged", ex);
            }
            Throwable cause = rootFailure(failure.get());
            if (!index.recordDeadLetter(consumerGroup, inRecord, cause, attempts.of(inRecord), written)) {
                log.info("{}-{}@{} was dead-lettered before (its offset commit was lost); written again to {}-{}@{}",
                        inRecord.topic(), inRecord.partition(), inRecord.offset(), written.topic(), written.partition(),
                        written.offset());
                return;
            }
            String type = header(inRecord, "eventType");
            meters.deadLettered(consumerGroup, inRecord.topic(), type == null ? "unknown" : type);
            log.warn("{} {} of {} from {}-{}@{} dead-lettered to {}-{}@{} after {} attempts: {}", type, header(inRecord, "eventId"),
                    inRecord.key() instanceof byte[] key ? new String(key, StandardCharsets.UTF_8) : inRecord.key(),
                    inRecord.topic(), inRecord.partition(), inRecord.offset(), written.topic(), written.partition(),
                    written.offset(), attempts.of(inRecord), cause.toString());
        }
    }

    private static KafkaTemplate<byte[], Object> template(String bootstrapServers, Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // What idempotence needs, whatever the application's producer settings say.
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "dead-letters");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(props, new ByteArraySerializer(), new RawValueSerializer()));
    }
}
