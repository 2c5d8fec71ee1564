package dev.bookingplatform.inventory.resource;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.inventory.ResourceChanged;

/**
 * Publishes a resource's new state (ResourceChanged) in the transaction that changed it, so booking-service
 * can refuse bookings for resources and add-ons that do not exist, and ranges that do not fit the
 * resource's units, without ever calling this service.
 */
@Component
class ResourceAnnouncer {

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    private final JdbcClient jdbc;

    ResourceAnnouncer(OutboxWriter outbox, EventMetadataFactory metadata, JdbcClient jdbc) {
        this.outbox = outbox;
        this.metadata = metadata;
        this.jdbc = jdbc;
    }

    void announce(Resource resource) {
        outbox.append(resource.id(), new ResourceChanged(metadata.next(), resource.id(), resource.name(),
                resource.currency(), resource.addOns().stream().map(AddOn::id).toList(), resource.version(),
                resource.rules().toSpec(), resource.cancellation().toSpec()));
        jdbc.sql("UPDATE resource SET announced_version = ? WHERE id = ?").params(resource.version(), resource.id()).update();
    }

    /** Resources whose current version no ResourceChanged has announced yet (as written by an older release). */
    List<String> unannounced() {
        return jdbc.sql("SELECT id FROM resource WHERE announced_version IS DISTINCT FROM version ORDER BY id").query(String.class).list();
    }
}
