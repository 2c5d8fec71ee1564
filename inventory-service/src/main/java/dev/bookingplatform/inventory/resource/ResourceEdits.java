package dev.bookingplatform.inventory.resource;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.bookingplatform.inventory.stock.UnitStock;
import dev.bookingplatform.inventory.stock.UnitUsage;
import dev.bookingplatform.web.ApiProblemException;

/**
 * Edits that must not strand a booking: capacity below what a unit not yet over already holds, or a new
 * unit (zone, length, alignment, times) while bookings hold the old ones. The caller holds the resource's
 * row lock, so no reservation can slip in between this check and the update; the database's
 * {@code unit_stock_within_capacity} would refuse a capacity cut anyway.
 */
@Component
class ResourceEdits {

    private final UnitStock stock;

    ResourceEdits(UnitStock stock) {
        this.stock = stock;
    }

    void check(Resource current, Resource edited) {
        if (!current.sameUnitsAs(edited) || edited.capacityPerUnit() != current.capacityPerUnit()) {
            stock.lockFutureUnits(current.id());
        }
        if (!current.sameUnitsAs(edited)) {
            stock.firstUnitHeldAbove(current.id(), 0).ifPresent(usage -> {
                throw conflict(current, usage, "Resource " + current.id() + " has bookings from the unit starting "
                        + usage.unitStart() + " on; its unit and time zone cannot change until they are over");
            });
        }
        // Any change, not only a cut: a unit oversold before units existed holds more than the old capacity.
        if (edited.capacityPerUnit() != current.capacityPerUnit()) {
            stock.firstUnitHeldAbove(current.id(), edited.capacityPerUnit()).ifPresent(usage -> {
                throw conflict(current, usage, "The unit of " + current.id() + " starting " + usage.unitStart() + " holds "
                        + usage.held() + "; capacity cannot go below that until it is over");
            });
        }
    }

    void afterUpdate(Resource current, Resource edited) {
        if (!current.sameUnitsAs(edited)) {
            stock.forgetEmptyFutureUnits(current.id());
        }
    }

    private static ApiProblemException conflict(Resource resource, UnitUsage usage, String detail) {
        return new ApiProblemException(HttpStatus.CONFLICT, "Resource has bookings", detail)
                .with("unitStart", usage.unitStart()).with("held", usage.held()).with("currentVersion", resource.version());
    }
}
