package dev.bookingplatform.inventory.resource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.validation.constraints.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
@Tag(name = "Resources")
@RestController
@RequestMapping(path = "/api/resources", produces = MediaType.APPLICATION_JSON_VALUE)
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

    @Operation(operationId = "getAvailability", summary = "Get what is left of each unit of a resource in a range",
            description = """
                    Every unit of the resource starting in `[from, to)`, cut by its booking rules (unit and time zone), \
                    with how much of it live holds take and what is left to offer. The range may span at most \
                    the service's limit (92 days by default) and at most 10,000 units; ask for longer ones page by page. \
                    Any valid token reads it.""")
    @ApiResponse(responseCode = "200", description = "The resource's units in the range, in order",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Availability.class)))
    @ApiResponse(responseCode = "404", description = "No resource has this id", content = @Content)
    @ApiResponse(responseCode = "422", description = "The range is unusable: `to` is not after `from`, the range is longer"
            + " than the service allows (92 days by default), or it holds more than 10,000 of the resource's units;"
            + " `errors` names `to`", content = @Content)
    @SecurityRequirement(name = ApiDocumentation.BEARER)
    @GetMapping("/{id}/availability")
    Availability availability(@Parameter(description = "The resource's id")
            @PathVariable @Pattern(regexp = ResourceController.ID) String id,
            @Parameter(description = "The range's start (ISO-8601 instant, inclusive): units starting at or after it")
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @Parameter(description = "The range's end (ISO-8601 instant, exclusive): after `from`, at most 92 days later by"
                    + " default")
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
    record Availability(String resourceId, @Schema(description = "The IANA time zone the units are cut in") String timeZone,
            @Schema(description = "The unit's name: hour, 30-minute slot, 2-hour slot, night, day...") String unit,
            @Schema(description = "The resource's capacity per unit; each unit's `available` is counted from the capacity"
                    + " recorded for that unit") int capacityPerUnit,
            Instant from, Instant to, @Schema(description = "Every unit starting in [from, to), in order") List<Unit> units) {

        record Unit(Instant start, Instant end, @Schema(description = "How much of the unit live holds take") int held,
                @Schema(description = "What is left to book: the unit's capacity less what is held, never below 0")
                int available) {
        }
    }
}
