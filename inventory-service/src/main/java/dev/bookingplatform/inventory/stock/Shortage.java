package dev.bookingplatform.inventory.stock;

import dev.bookingplatform.events.units.UnitSlot;

/** The first unit of a range that has too little left: the reason a booking is refused. */
public record Shortage(UnitSlot unit, int available) {
}
