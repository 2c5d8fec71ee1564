package dev.bookingplatform.inventory.resource;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.inventory.InventoryProperties;

/**
 * Gives an empty inventory a few resources on first start, so a fresh system can take a booking at once.
 * Inserts are conflict-free, so replicas starting together seed once.
 */
@Component
class ResourceSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ResourceSeeder.class);

    static final List<Resource> DEMO_RESOURCES = List.of(
            new Resource("harbour-view-room", "Harbour view double room", 3, 12_000, "EUR", 900,
                    List.of(new AddOn("breakfast", "Breakfast for two", 2_400), new AddOn("late-checkout", "Late check-out", 3_000)), 0),
            new Resource("old-town-walking-tour", "Old town walking tour", 20, 3_500, "EUR", 900,
                    List.of(new AddOn("audio-guide", "Audio guide", 500)), 0),
            new Resource("tennis-court-1", "Tennis court 1, one hour", 1, 2_000, "EUR", 900,
                    List.of(new AddOn("racket-hire", "Racket hire", 400)), 0));

    private final ResourceRepository resources;

    private final ResourceAnnouncer announcer;

    private final TransactionTemplate transactions;

    private final InventoryProperties properties;

    ResourceSeeder(ResourceRepository resources, ResourceAnnouncer announcer, TransactionTemplate transactions,
            InventoryProperties properties) {
        this.resources = resources;
        this.announcer = announcer;
        this.transactions = transactions;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.seedResources() || !resources.ids().isEmpty()) {
            return;
        }
        long seeded = DEMO_RESOURCES.stream().filter(resource -> Boolean.TRUE.equals(transactions.execute(status -> {
            boolean inserted = resources.insert(resource);
            if (inserted) {
                announcer.announce(resource);
            }
            return inserted;
        }))).count();
        log.info("Seeded {} demo resources into an empty inventory", seeded);
    }
}
