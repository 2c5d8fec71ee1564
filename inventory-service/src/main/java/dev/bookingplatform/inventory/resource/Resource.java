package dev.bookingplatform.inventory.resource;

import java.util.List;
import java.util.Optional;

/** A bookable thing as stored: the current prices, which reservations copy and never read again. */
public record Resource(String id, String name, int capacityPerSlot, long unitPriceMinor, String currency,
        int holdDurationSeconds, List<AddOn> addOns, long version) {

    public Optional<AddOn> addOn(String addOnId) {
        return addOns.stream().filter(addOn -> addOn.id().equals(addOnId)).findFirst();
    }
}
