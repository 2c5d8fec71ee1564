/**
 * Booking units: how a resource's time is cut into the units that capacity and prices count in (hours,
 * nights, days), aligned in the resource's local time. inventory-service holds capacity per unit;
 * booking-service refuses a range that does not cover whole units. Both read the same rules
 * ({@code ResourceChanged.bookingUnit}) through this one implementation, so they cannot disagree.
 */
@NullMarked
package dev.bookingplatform.events.units;

import org.jspecify.annotations.NullMarked;
