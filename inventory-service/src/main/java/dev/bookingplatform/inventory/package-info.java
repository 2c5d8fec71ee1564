/** Inventory service: resources, capacity per slot, prices, holds and reservations. */
@NullMarked
package dev.bookingplatform.inventory;

import org.jspecify.annotations.NullMarked;
