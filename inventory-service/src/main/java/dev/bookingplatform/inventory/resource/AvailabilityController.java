package dev.bookingplatform.inventory.resource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.validation.constraints.Pattern;

import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.events.units.BookingRules;
import dev.bookingplatform.events.units.UnitSlot;
import dev.bookingplatform.inventory.InventoryProperties;
import dev.bookingplatform.inventory.stock.UnitStock;
import dev.bookingplatform.inventory.stock.UnitUsage;
import dev.bookingplatform.web.ApiProblemException;
import dev.bookingplatform.web.FieldError;
import dev.bookingplatform.web.openapi.ApiDocumentation;

/** What is left of each unit of a resource in a range, for the gateway to offer. */
@RestController
@RequestMapping("/api/resources")
@Validated
class AvailabilityController {

    /** A page's worth: 92 days of hours is 2,208 units, of 15-minute slots 8,832. */
    private static final int MAX_UNITS = 10_000;

    private final ResourceRepository resources;

    private final UnitStock stock;

    private final InventoryProperties properties;

    AvailabilityController(ResourceRepository resources, UnitStock stock, InventoryProperties properties) {
        this.resources = resources;
        this.stock = stock;
        this.properties = properties;
    }

    @SecurityRequirement(name = ApiDocumentation.BEARER)
    @GetMapping("/{id}/availability")
    Availability availability(@PathVariable @Pattern(regexp = ResourceController.ID) String id,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        Duration longest = properties.availabilityMaxRange();
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(longest) > 0) {
            throw ApiProblemException.invalid(HttpStatus.UNPROCESSABLE_CONTENT, List.of(new FieldError("to",
                    "must be after from and at most " + longest.toDays() + " days later")));
        }
        Resource resource = resources.find(id).orElseThrow(() -> ApiProblemException.notFound("Resource", id));
        BookingRules rules = resource.rules();
        long estimate = Duration.between(from, to).toMinutes() / rules.unit().nominal().toMinutes();
        if (estimate > MAX_UNITS) {
            throw ApiProblemException.invalid(HttpStatus.UNPROCESSABLE_CONTENT, List.of(new FieldError("to",
                    "the range has about " + estimate + " units of " + id + "; ask for at most " + MAX_UNITS + " at a time")));
        }
        Map<Instant, UnitUsage> used = stock.usage(id, from, to).stream()
                .collect(Collectors.toMap(UnitUsage::unitStart, Function.identity()));
        List<UnitSlot> slots = rules.unitsStartingBetween(from, to);
        if (slots.size() > MAX_UNITS) {
            throw ApiProblemException.invalid(HttpStatus.UNPROCESSABLE_CONTENT, List.of(new FieldError("to",
                    "the range has " + slots.size() + " units of " + id + "; ask for at most " + MAX_UNITS + " at a time")));
        }
        List<Availability.Unit> units = new ArrayList<>();
        for (UnitSlot slot : slots) {
            UnitUsage usage = used.get(slot.start());
            int capacity = usage == null ? resource.capacityPerUnit() : usage.capacity();
            int held = usage == null ? 0 : usage.held();
            units.add(new Availability.Unit(slot.start(), slot.end(), held, Math.max(0, capacity - held)));
        }
        return new Availability(id, resource.timeZone(), rules.unit().name(), resource.capacityPerUnit(), from, to, units);
    }

    /** Every unit starting in {@code [from, to)} with what it holds and what is left. */
    record Availability(String resourceId, String timeZone, String unit, int capacityPerUnit, Instant from, Instant to,
            List<Unit> units) {

        record Unit(Instant start, Instant end, int held, int available) {
        }
    }
}
