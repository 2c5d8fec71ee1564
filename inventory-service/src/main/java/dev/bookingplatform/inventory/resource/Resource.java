package dev.bookingplatform.inventory.resource;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.bookingplatform.events.units.BookingRules;

/**
 * A bookable thing as stored: how it is booked (zone, unit, units per booking), its capacity per unit and
 * its current prices, which reservations copy and never read again, and its cancellation terms.
 */
public record Resource(String id, String name, int capacityPerUnit, long unitPriceMinor, String currency,
        int holdDurationSeconds, String timeZone, BookingUnitDefinition unit, int minUnits, int maxUnits,
        List<AddOn> addOns, long version, CancellationTerms cancellation) {

    public Optional<AddOn> addOn(String addOnId) {
        return addOns.stream().filter(addOn -> addOn.id().equals(addOnId)).findFirst();
    }

    @JsonIgnore
    public BookingRules rules() {
        return new BookingRules(ZoneId.of(timeZone), unit.toUnit(), minUnits, maxUnits);
    }

    /** Whether bookings of this resource and of {@code other} are cut into the same units. */
    boolean sameUnitsAs(Resource other) {
        return timeZone.equals(other.timeZone) && unit.toUnit().equals(other.unit.toUnit());
    }
}
