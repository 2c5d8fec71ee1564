package dev.bookingplatform.eventing.correlation;

import java.time.Clock;
import java.util.UUID;

import dev.bookingplatform.events.EventMetadata;

/**
 * Metadata for a new event: a fresh id, the time, this service's name, and the correlation and
 * causation of the current {@link CorrelationScope}, so lineage flows from request to event to event
 * without any handler passing it along.
 */
public final class EventMetadataFactory {

    private final String producer;

    private final Clock clock;

    public EventMetadataFactory(String producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    public EventMetadata next() {
        String correlationId = CorrelationScope.currentCorrelationId();
        return new EventMetadata(UUID.randomUUID(), clock.instant(),
                correlationId != null ? correlationId : UUID.randomUUID().toString(),
                CorrelationScope.currentCausationId(), producer);
    }
}
