package dev.bookingplatform.inventory.resource;

import java.time.LocalTime;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.inventory.InventoryProperties;

/**
 * Gives an empty inventory a few resources on first start, so a fresh system can take a booking at once,
 * and announces resources an older release left unannounced. Inserts are conflict-free, so replicas
 * starting together seed once; a resource announced twice is harmless (booking-service keeps the newest).
 */
@Component
class ResourceSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ResourceSeeder.class);

    private static final String LISBON = "Europe/Lisbon";

    /**
     * A room by the night (free cancellation until two days before, half back after), a tour by the day and
     * a court by the hour, all in Lisbon time, each held 40 minutes: Stripe's Checkout Session, which must
     * not outlive the hold, needs at least 30.
     */
    static final List<Resource> DEMO_RESOURCES = List.of(
            new Resource("harbour-view-room", "Harbour view double room", 3, 12_000, "EUR", 2_400, LISBON,
                    BookingUnitDefinition.night(LocalTime.of(15, 0), LocalTime.of(11, 0)), 1, 14,
                    List.of(new AddOn("breakfast", "Breakfast for two", 2_400, AddOn.Pricing.PER_UNIT),
                            new AddOn("late-checkout", "Late check-out", 3_000, AddOn.Pricing.PER_BOOKING)), 0,
                    new CancellationTerms(172_800L, 50)),
            new Resource("old-town-walking-tour", "Old town walking tour", 20, 3_500, "EUR", 2_400, LISBON,
                    BookingUnitDefinition.day(LocalTime.of(10, 0), LocalTime.of(13, 0)), 1, 1,
                    List.of(new AddOn("audio-guide", "Audio guide", 500, AddOn.Pricing.PER_BOOKING)), 0, CancellationTerms.DEFAULT),
            new Resource("tennis-court-1", "Tennis court 1", 1, 2_000, "EUR", 2_400, LISBON, BookingUnitDefinition.HOUR, 1, 3,
                    List.of(new AddOn("racket-hire", "Racket hire", 400, AddOn.Pricing.PER_UNIT)), 0,
                    new CancellationTerms(7_200L, null)));

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
        announceWhatAnOlderReleaseLeftUnannounced();
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

    /**
     * booking-service learns a resource's booking rules from its ResourceChanged; a resource last announced
     * by a release whose event had no rules is announced again, once, so it can be booked.
     */
    private void announceWhatAnOlderReleaseLeftUnannounced() {
        List<String> unannounced = announcer.unannounced();
        for (String id : unannounced) {
            transactions.executeWithoutResult(status -> resources.find(id).ifPresent(announcer::announce));
        }
        if (!unannounced.isEmpty()) {
            log.info("Announced {} resources again with their booking rules", unannounced.size());
        }
    }
}
