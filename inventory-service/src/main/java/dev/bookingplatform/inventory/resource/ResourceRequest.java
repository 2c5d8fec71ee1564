package dev.bookingplatform.inventory.resource;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/** The body of {@code PUT /api/resources/{id}}: the whole resource as it should be. */
public record ResourceRequest(@NotBlank @Size(max = 200) String name,
        @NotNull @PositiveOrZero @Max(100_000) Integer capacityPerSlot,
        @NotNull @PositiveOrZero @Max(100_000_000_00L) Long unitPriceMinor,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency,
        @Nullable @Positive @Max(86_400) Integer holdDurationSeconds,
        @Nullable @Size(max = 50) List<@Valid @NotNull AddOn> addOns) {

    Resource toResource(String id, int defaultHoldSeconds, long version) {
        return new Resource(id, name, capacityPerSlot, unitPriceMinor, currency,
                holdDurationSeconds != null ? holdDurationSeconds : defaultHoldSeconds,
                addOns != null ? List.copyOf(addOns) : List.of(), version);
    }
}
