package dev.bookingplatform.inventory.reservation;

import java.util.ArrayList;
import java.util.List;

import dev.bookingplatform.events.AddOnRequest;
import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.LineItemKind;
import dev.bookingplatform.inventory.resource.AddOn;
import dev.bookingplatform.inventory.resource.Resource;

/** The line items of a booking at the resource's prices of this moment; what the booking will cost for good. */
record PriceQuote(List<LineItem> lineItems, long totalMinor, String currency) {

    /** @throws IllegalArgumentException naming the add-on the resource does not offer */
    static PriceQuote of(Resource resource, int quantity, List<AddOnRequest> addOns) {
        List<LineItem> items = new ArrayList<>();
        items.add(item(LineItemKind.RESOURCE, resource.id(), resource.name(), quantity, resource.unitPriceMinor()));
        for (AddOnRequest request : addOns) {
            AddOn addOn = resource.addOn(request.getAddOnId()).orElseThrow(() -> new IllegalArgumentException(
                    "Resource " + resource.id() + " offers no add-on " + request.getAddOnId()));
            items.add(item(LineItemKind.ADD_ON, addOn.id(), addOn.name(), request.getQuantity(), addOn.unitPriceMinor()));
        }
        long total = items.stream().mapToLong(LineItem::getTotalMinor).sum();
        return new PriceQuote(List.copyOf(items), total, resource.currency());
    }

    private static LineItem item(LineItemKind kind, String code, String description, int quantity, long unitPrice) {
        return new LineItem(kind, code, description, quantity, unitPrice, Math.multiplyExact(unitPrice, (long) quantity));
    }
}
