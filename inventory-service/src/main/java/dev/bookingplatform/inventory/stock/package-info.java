/**
 * Capacity per booking unit: {@code unit_stock} rows (capacity and what live holds take) and the
 * {@code hold_unit} rows behind them. The database keeps the invariant (see {@code V2__capacity_per_unit.sql});
 * {@link dev.bookingplatform.inventory.stock.UnitStock} takes units all or nothing, in one fixed order.
 */
@NullMarked
package dev.bookingplatform.inventory.stock;

import org.jspecify.annotations.NullMarked;
