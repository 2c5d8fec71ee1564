package dev.bookingplatform.inventory.stock;

import java.time.Instant;

/** What live holds take of one unit, and its capacity. */
public record UnitUsage(Instant unitStart, int capacity, int held) {
}
