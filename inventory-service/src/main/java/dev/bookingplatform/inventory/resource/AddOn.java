package dev.bookingplatform.inventory.resource;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.web.PlainText;

/**
 * An extra sold with a resource (breakfast, audio guide) in the resource's currency, priced once per
 * booking or once per booked unit (breakfast every night); per booking unless it says otherwise.
 */
public record AddOn(@NotBlank @Size(max = 64) String id,
        @NotBlank @Size(max = 200) @Pattern(regexp = PlainText.ONE_LINE, message = PlainText.ONE_LINE_MESSAGE) String name,
        @PositiveOrZero @Max(100_000_000_00L) long unitPriceMinor, Pricing pricing) {

    public AddOn(String id, String name, long unitPriceMinor, @Nullable Pricing pricing) {
        this.id = id;
        this.name = name;
        this.unitPriceMinor = unitPriceMinor;
        this.pricing = pricing == null ? Pricing.PER_BOOKING : pricing;
    }

    public enum Pricing {
        PER_BOOKING, PER_UNIT
    }
}
