package dev.bookingplatform.inventory.resource;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** An extra sold with a resource (breakfast, audio guide), priced per unit in the resource's currency. */
public record AddOn(@NotBlank @Size(max = 64) String id, @NotBlank @Size(max = 200) String name,
        @PositiveOrZero long unitPriceMinor) {
}
