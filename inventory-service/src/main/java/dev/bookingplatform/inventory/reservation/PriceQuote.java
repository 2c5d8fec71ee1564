package dev.bookingplatform.inventory.reservation;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.events.AddOnRequest;
import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.LineItemKind;
import dev.bookingplatform.inventory.resource.AddOn;
import dev.bookingplatform.inventory.resource.Resource;

/**
 * The line items of a booking at the resource's prices of this moment; what the booking will cost for good.
 * The resource is charged per unit (3 nights x 2 rooms = 6 x the price of a night); an add-on per booking
 * or per unit, as it declares.
 */
record PriceQuote(List<LineItem> lineItems, long totalMinor, String currency) {

    /** @throws IllegalArgumentException naming the add-on the resource does not offer */
    static PriceQuote of(Resource resource, int units, int quantity, List<AddOnRequest> addOns) {
        String unitName = resource.rules().unit().name();
        List<LineItem> items = new ArrayList<>();
        items.add(item(LineItemKind.RESOURCE, resource.id(), resource.name(), quantity, units, unitName, resource.unitPriceMinor()));
        for (AddOnRequest request : addOns) {
            AddOn addOn = resource.addOn(request.getAddOnId()).orElseThrow(() -> new IllegalArgumentException(
                    "Resource " + resource.id() + " offers no add-on " + request.getAddOnId()));
            boolean perUnit = addOn.pricing() == AddOn.Pricing.PER_UNIT;
            items.add(item(LineItemKind.ADD_ON, addOn.id(), addOn.name(), request.getQuantity(), perUnit ? units : 1,
                    perUnit ? unitName : null, addOn.unitPriceMinor()));
        }
        long total = items.stream().mapToLong(LineItem::getTotalMinor).reduce(0, Math::addExact);
        return new PriceQuote(List.copyOf(items), total, resource.currency());
    }

    private static LineItem item(LineItemKind kind, String code, String description, int quantity, int units,
            @Nullable String unitName, long unitPrice) {
        long total = Math.multiplyExact(Math.multiplyExact(unitPrice, (long) quantity), (long) units);
        return new LineItem(kind, code, description, quantity, unitPrice, total, units, unitName);
    }
}
