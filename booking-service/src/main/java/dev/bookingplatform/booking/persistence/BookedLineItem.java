package dev.bookingplatform.booking.persistence;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.LineItemKind;

/**
 * One line of a booking's bill, at the price inventory-service captured when it reserved: quantity x units
 * (nights, hours) x unit price. {@code unitName} is null for a price per booking.
 */
public record BookedLineItem(String kind, String code, String description, int quantity, int units, @Nullable String unitName,
        long unitPriceMinor, long totalMinor) {

    /** Lines stored before units existed are for one unit. */
    public BookedLineItem {
        units = Math.max(units, 1);
    }

    public static BookedLineItem of(LineItem item) {
        return new BookedLineItem(item.getKind().name(), item.getCode(), item.getDescription(), item.getQuantity(), item.getUnits(),
                item.getUnitName(), item.getUnitPriceMinor(), item.getTotalMinor());
    }

    public LineItem toEvent() {
        return new LineItem(LineItemKind.valueOf(kind), code, description, quantity, unitPriceMinor, totalMinor, units, unitName);
    }
}
