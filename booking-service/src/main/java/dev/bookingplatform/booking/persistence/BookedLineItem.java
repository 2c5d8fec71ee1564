package dev.bookingplatform.booking.persistence;

import dev.bookingplatform.events.LineItem;

/** One line of a booking's bill, at the price inventory-service captured when it reserved. */
public record BookedLineItem(String kind, String code, String description, int quantity, long unitPriceMinor,
        long totalMinor) {

    public static BookedLineItem of(LineItem item) {
        return new BookedLineItem(item.getKind().name(), item.getCode(), item.getDescription(), item.getQuantity(),
                item.getUnitPriceMinor(), item.getTotalMinor());
    }

    public LineItem toEvent() {
        return new LineItem(dev.bookingplatform.events.LineItemKind.valueOf(kind), code, description, quantity,
                unitPriceMinor, totalMinor);
    }
}
