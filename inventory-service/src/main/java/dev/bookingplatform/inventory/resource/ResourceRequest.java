package dev.bookingplatform.inventory.resource;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.web.FieldError;
import dev.bookingplatform.web.PlainText;

/**
 * The body of {@code PUT /api/resources/{id}}: the whole resource as it should be. Left out of a new
 * resource, the booking rules are an hour aligned on the hour, in UTC, 1 to 24 per booking; left out of
 * an edit, they stay as they are. So do the cancellation terms (default: free until 24 h before, nothing after).
 */
public record ResourceRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = PlainText.ONE_LINE, message = PlainText.ONE_LINE_MESSAGE) String name,
        @NotNull @PositiveOrZero @Max(100_000) Integer capacityPerUnit,
        @NotNull @PositiveOrZero @Max(100_000_000_00L) Long unitPriceMinor,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency,
        @Nullable @Min(value = 2_100, message = "must be at least 2100 (35 minutes): Stripe opens a Checkout Session for at least 30 minutes, the session must not outlive the hold, and the saga needs a few minutes to open it") @Max(86_400) Integer holdDurationSeconds,
        @Nullable @Size(max = 64) String timeZone,
        @Nullable @Valid BookingUnitDefinition unit,
        @Nullable @Min(1) @Max(1_000) Integer minUnits,
        @Nullable @Min(1) @Max(1_000) Integer maxUnits,
        @Nullable @Size(max = 50) List<@Valid @NotNull AddOn> addOns,
        @Nullable @Valid CancellationTerms cancellation) {

    /**
     * What bean validation cannot see: a region zone (not an offset, which knows no daylight saving) and a
     * unit that cuts days evenly. {@link #unitBoundsProblems} checks min against max once defaults are in.
     */
    List<FieldError> problems() {
        List<FieldError> problems = new ArrayList<>(unitOrDefault().problems("unit"));
        if (timeZone != null && !ZoneId.getAvailableZoneIds().contains(timeZone)) {
            problems.add(new FieldError("timeZone", "must be an IANA time zone such as Europe/Lisbon"));
        }
        return problems;
    }

    static List<FieldError> unitBoundsProblems(Resource resource) {
        return resource.minUnits() > resource.maxUnits()
                ? List.of(new FieldError("maxUnits", "must not be below minUnits (" + resource.minUnits() + ")"))
                : List.of();
    }

    /** A new resource; what the request leaves out is the default. */
    Resource toResource(String id, int defaultHoldSeconds) {
        return new Resource(id, name, capacityPerUnit, unitPriceMinor, currency,
                holdDurationSeconds != null ? holdDurationSeconds : defaultHoldSeconds, timeZoneOrDefault(), unitOrDefault(),
                minUnitsOrDefault(), maxUnitsOrDefault(), addOnsOrNone(), 0,
                cancellation != null ? cancellation : CancellationTerms.DEFAULT);
    }

    /** An edit of {@code current}; the hold duration and booking rules it leaves out stay as they are. */
    Resource toEditOf(Resource current) {
        return new Resource(current.id(), name, capacityPerUnit, unitPriceMinor, currency,
                holdDurationSeconds != null ? holdDurationSeconds : current.holdDurationSeconds(),
                timeZone != null ? timeZone : current.timeZone(), unit != null ? unit : current.unit(),
                minUnits != null ? minUnits : current.minUnits(), maxUnits != null ? maxUnits : current.maxUnits(), addOnsOrNone(),
                current.version(), cancellation != null ? cancellation : current.cancellation());
    }

    private List<AddOn> addOnsOrNone() {
        return addOns != null ? List.copyOf(addOns) : List.of();
    }

    private String timeZoneOrDefault() {
        return timeZone != null ? timeZone : "UTC";
    }

    private BookingUnitDefinition unitOrDefault() {
        return unit != null ? unit : BookingUnitDefinition.HOUR;
    }

    private int minUnitsOrDefault() {
        return minUnits != null ? minUnits : 1;
    }

    private int maxUnitsOrDefault() {
        return maxUnits != null ? maxUnits : 24;
    }
}
