package dev.bookingplatform.eventing.consumer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.correlation.CorrelationScope;
import dev.bookingplatform.eventing.deadletter.DeadLetterIndex;
import dev.bookingplatform.eventing.inbox.InboxGuard;
import dev.bookingplatform.eventing.metrics.EventingMeters;
import dev.bookingplatform.eventing.tracing.TraceContext;
import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.EventType;

/**
 * Runs the registered handler for a consumed record in one database transaction with the inbox
 * insert: a duplicate is skipped, a failure rolls back both, and the Kafka offset is committed only
 * after the transaction (the container's BATCH ack mode: after the poll's records, or before an error
 * handler's seek, for those applied).
 */
public final class IdempotentEventDispatcher {

    private static final String TRACEPARENT_HEADER = "traceparent";

    private static final Logger log = LoggerFactory.getLogger(IdempotentEventDispatcher.class);

    private final String consumerGroup;

    private final Map<Route, HandlerRegistration<?>> handlers;

    private final InboxGuard inbox;

    private final DeadLetterIndex deadLetters;

    private final TransactionTemplate transactions;

    private final EventingMeters meters;

    public IdempotentEventDispatcher(String consumerGroup, List<HandlerRegistration<?>> registrations,
            InboxGuard inbox, DeadLetterIndex deadLetters, TransactionTemplate transactions) {
        this(consumerGroup, registrations, inbox, deadLetters, transactions, EventingMeters.none());
    }

    public IdempotentEventDispatcher(String consumerGroup, List<HandlerRegistration<?>> registrations,
            InboxGuard inbox, DeadLetterIndex deadLetters, TransactionTemplate transactions, EventingMeters meters) {
        this.meters = meters;
        this.deadLetters = deadLetters;
        this.consumerGroup = consumerGroup;
        this.handlers = registrations.stream().collect(Collectors.toUnmodifiableMap(
                registration -> new Route(registration.topic(), registration.eventClass()), Function.identity()));
        this.inbox = inbox;
        this.transactions = transactions;
        registrations.forEach(registration -> meters.expect(consumerGroup, registration.topic(),
                registration.eventClass().getSimpleName()));
    }

    /** Why a dead letter of {@code eventType} from {@code topic} may not be skipped, if its handler says so. */
    public Optional<String> whyNotSkippable(String topic, @Nullable String eventType) {
        // A letter of unknown type (bytes that never decoded) cannot be replayed either: skipping stays its way out,
        // and if it was a payment the consistency monitor finds the booking ended paid and not refunded.
        return handlers.values().stream().filter(registration -> registration.topic().equals(topic)
                && registration.eventClass().getSimpleName().equals(eventType) && registration.notSkippable() != null)
                .map(HandlerRegistration::notSkippable).findFirst();
    }

    public void dispatch(ConsumerRecord<?, ReceivedEvent> record) {
        SpecificRecord event = eventOf(record);
        HandlerRegistration<?> registration = registrationFor(record.topic(), event);
        if (registration == null) {
            log.debug("No handler in {} for {} from {}; skipped", consumerGroup, event.getSchema().getName(), describe(record));
            return;
        }
        EventMetadata metadata = EventType.metadataOf(event);
        long began = System.nanoTime();
        EventingMeters.Outcome outcome = EventingMeters.Outcome.FAILED;
        try (CorrelationScope scope = CorrelationScope.handling(metadata.getCorrelationId(), metadata.getEventId());
                TraceContext.Continued trace = TraceContext.continuing(traceparentOf(record))) {
            outcome = transactions.execute(status -> {
                DeadLetterIndex.Admission admission = deadLetters.admit(consumerGroup, record);
                if (admission instanceof DeadLetterIndex.ParkBehind park) {
                    long parked = deadLetters.park(consumerGroup, record, park.head());
                    log.warn("{} {} from {} parked as dead letter {}: dead letter {} of the same key is open ahead of it",
                            event.getSchema().getName(), metadata.getEventId(), describe(record), parked, park.head());
                    return EventingMeters.Outcome.PARKED;
                }
                if (admission instanceof DeadLetterIndex.AlreadyIndexed indexed) {
                    log.info("{} from {} is dead letter {} already; left to ops", event.getSchema().getName(), describe(record),
                            indexed.id());
                    return EventingMeters.Outcome.PARKED;
                }
                return applyOnce(registration, event, metadata, record) ? EventingMeters.Outcome.APPLIED
                        : EventingMeters.Outcome.DUPLICATE;
            });
        }
        finally {
            meters.handled(consumerGroup, event.getSchema().getName(), outcome != null ? outcome : EventingMeters.Outcome.FAILED,
                    System.nanoTime() - began);
        }
    }

    /**
     * A dead letter replayed by ops: the same handler, inbox and trace as a live delivery, in the caller's
     * transaction (which holds the key's lock), without the parking check the caller already made.
     *
     * @return false when the inbox says the event was applied before (nothing changed)
     */
    public boolean replay(ConsumerRecord<?, ReceivedEvent> record) {
        SpecificRecord event = eventOf(record);
        HandlerRegistration<?> registration = registrationFor(record.topic(), event);
        if (registration == null) {
            throw new NonRetryableEventException("No handler in " + consumerGroup + " for " + event.getSchema().getName()
                    + " from " + record.topic());
        }
        EventMetadata metadata = EventType.metadataOf(event);
        try (CorrelationScope scope = CorrelationScope.handling(metadata.getCorrelationId(), metadata.getEventId());
                TraceContext.Continued trace = TraceContext.continuing(traceparentOf(record))) {
            return Boolean.TRUE.equals(transactions.execute(status -> applyOnce(registration, event, metadata, record)));
        }
    }

    public String consumerGroup() {
        return consumerGroup;
    }

    DeadLetterIndex deadLetterIndex() {
        return deadLetters;
    }

    EventingMeters meters() {
        return meters;
    }

    private boolean applyOnce(HandlerRegistration<?> registration, SpecificRecord event, EventMetadata metadata,
            ConsumerRecord<?, ?> record) {
        if (inbox.firstDelivery(consumerGroup, metadata.getEventId(), deliveryOf(event, record))) {
            long began = System.nanoTime();
            registration.invoke(event, metadata);
            inbox.handled(consumerGroup, metadata.getEventId(), (System.nanoTime() - began) / 1e6);
            return true;
        }
        log.info("{} {} already processed by {}; duplicate from {} skipped", event.getSchema().getName(),
                metadata.getEventId(), consumerGroup, describe(record));
        return false;
    }

    private static InboxGuard.Delivery deliveryOf(SpecificRecord event, ConsumerRecord<?, ?> record) {
        Object key = record.key();
        String aggregateId = key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : key == null ? null : key.toString();
        Header attempt = record.headers().lastHeader(KafkaHeaders.DELIVERY_ATTEMPT);
        Integer attempts = attempt != null && attempt.value() != null && attempt.value().length == Integer.BYTES
                ? ByteBuffer.wrap(attempt.value()).getInt() : null;
        return new InboxGuard.Delivery(event.getSchema().getName(), aggregateId, record.topic(), record.partition(), record.offset(),
                attempts);
    }

    private static SpecificRecord eventOf(ConsumerRecord<?, ReceivedEvent> record) {
        if (!(record.value().event() instanceof SpecificRecord event)) {
            throw new NonRetryableEventException("Record " + describe(record) + " decoded to no known event type");
        }
        return event;
    }

    private static @Nullable String traceparentOf(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(TRACEPARENT_HEADER);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The registration for a record, or null; used by the error handler to pick the retry policy. */
    @Nullable
    HandlerRegistration<?> registrationFor(String topic, Object event) {
        return handlers.get(new Route(topic, event.getClass()));
    }

    private static String describe(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private record Route(String topic, Class<?> eventClass) {
    }
}
