package dev.bookingplatform.booking.api;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.web.PlainText;

/** The body of {@code POST /api/bookings}. */
public record CreateBookingRequest(
        @NotBlank @Email @Size(max = 254)
        @Pattern(regexp = PlainText.ONE_LINE, message = PlainText.ONE_LINE_MESSAGE) String customerEmail,
        @NotBlank @Size(max = 200) @Pattern(regexp = PlainText.ONE_LINE, message = PlainText.ONE_LINE_MESSAGE) String customerName,
        @Nullable @Pattern(regexp = "[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", message = "must be a BCP 47 language tag such as de-CH") String customerLocale,
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}", message = "must be a resource id such as harbour-view-room") String resourceId,
        @NotNull @Future Instant slotStart,
        @NotNull @Future Instant slotEnd,
        @NotNull @Min(1) @Max(100) Integer quantity,
        @Nullable @Size(max = 20) List<@Valid @NotNull AddOn> addOns) {

    /** Without the customer's e-mail address and name: records end up in log lines (Spring logs bodies at DEBUG). */
    @Override
    public String toString() {
        return "CreateBookingRequest[resourceId=" + resourceId + ", slotStart=" + slotStart + ", slotEnd=" + slotEnd
                + ", quantity=" + quantity + ", addOns=" + addOns + "]";
    }

    /** Every field, for the idempotency fingerprint: the same request body gives the same string. */
    String fingerprint() {
        return String.join("\u0000", customerEmail, customerName, String.valueOf(customerLocale), resourceId,
                String.valueOf(slotStart), String.valueOf(slotEnd), String.valueOf(quantity), String.valueOf(addOns));
    }

    List<AddOn> addOnsOrNone() {
        return addOns == null ? List.of() : addOns;
    }

    /** An add-on to book with the resource. */
    public record AddOn(@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String addOnId,
            @NotNull @Min(1) @Max(100) Integer quantity) {
    }
}
