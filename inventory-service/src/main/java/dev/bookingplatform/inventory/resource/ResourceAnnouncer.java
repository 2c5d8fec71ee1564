package dev.bookingplatform.inventory.resource;

import org.springframework.stereotype.Component;

import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.inventory.ResourceChanged;

/**
 * Publishes a resource's new state (ResourceChanged) in the transaction that changed it, so booking-service
 * can refuse bookings for resources and add-ons that do not exist without ever calling this service.
 */
@Component
class ResourceAnnouncer {

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    ResourceAnnouncer(OutboxWriter outbox, EventMetadataFactory metadata) {
        this.outbox = outbox;
        this.metadata = metadata;
    }

    void announce(Resource resource) {
        outbox.append(resource.id(), new ResourceChanged(metadata.next(), resource.id(), resource.name(),
                resource.currency(), resource.addOns().stream().map(AddOn::id).toList(), resource.version()));
    }
}
