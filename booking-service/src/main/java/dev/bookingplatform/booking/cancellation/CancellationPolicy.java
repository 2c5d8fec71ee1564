package dev.bookingplatform.booking.cancellation;

import java.time.Instant;

import dev.bookingplatform.booking.catalog.KnownResources.CancellationTerms;

/**
 * What a customer's cancellation of a confirmed booking gives back: everything until the cut-off before
 * the slot, the resource's late share after it (if it allows late cancellations), nothing once the slot
 * has begun (then the cancellation is refused).
 */
public final class CancellationPolicy {

    private CancellationPolicy() {
    }

    public sealed interface Decision {
    }

    /** Cancel and refund {@code amountMinor}. */
    public record Refund(long amountMinor, String reason) implements Decision {
    }

    /** Not cancellable now; {@code cutoff} is when free cancellation ended. */
    public record Refused(String detail, Instant cutoff) implements Decision {
    }

    public static Decision decide(CancellationTerms terms, Instant slotStart, long paidMinor, Instant now) {
        Instant cutoff = slotStart.minus(terms.freeCutoff());
        if (now.isBefore(cutoff)) {
            return new Refund(paidMinor, "Cancelled by the customer before the free cancellation cut-off (" + cutoff
                    + "); refunded in full");
        }
        if (!now.isBefore(slotStart)) {
            return new Refused("The slot began at " + slotStart + "; a booking cannot be cancelled once its slot has started"
                    + " (free cancellation ended at " + cutoff + ")", cutoff);
        }
        Integer percent = terms.lateRefundPercent();
        if (percent == null) {
            return new Refused("Free cancellation ended at " + cutoff + " (" + describe(terms) + " before the slot), and this"
                    + " resource allows no cancellation after it", cutoff);
        }
        // Rounded up, in the customer's favour: a share of at least 1% of a paid booking is never nothing.
        long refund = (Math.multiplyExact(paidMinor, percent) + 99) / 100;
        return new Refund(refund, "Cancelled by the customer after the free cancellation cut-off (" + cutoff + "); "
                + percent + "% refunded");
    }

    private static String describe(CancellationTerms terms) {
        long hours = terms.freeCutoff().toHours();
        return hours * 3600 == terms.freeCutoff().toSeconds() ? hours + " h" : terms.freeCutoff().toSeconds() + " s";
    }
}
