package dev.bookingplatform.inventory.resource;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.events.CancellationPolicySpec;

/**
 * A resource's cancellation policy: a confirmed booking is refunded in full when cancelled at least
 * {@code freeCutoffSeconds} before its slot; after that, {@code lateRefundPercent} of it until the slot
 * starts, or not at all when null. booking-service applies it; inventory only owns and announces it.
 */
public record CancellationTerms(@NotNull @Min(0) @Max(31_536_000) Long freeCutoffSeconds,
        @Nullable @Min(1) @Max(100) Integer lateRefundPercent) {

    /** Free until a day before, nothing after: what a resource created without terms gets. */
    public static final CancellationTerms DEFAULT = new CancellationTerms(86_400L, null);

    CancellationPolicySpec toSpec() {
        return new CancellationPolicySpec(freeCutoffSeconds, lateRefundPercent);
    }
}
