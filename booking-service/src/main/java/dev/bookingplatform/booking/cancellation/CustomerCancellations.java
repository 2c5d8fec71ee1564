package dev.bookingplatform.booking.cancellation;

import java.time.Clock;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.bookingplatform.booking.BookingProperties;
import dev.bookingplatform.booking.catalog.KnownResources;
import dev.bookingplatform.booking.catalog.KnownResources.CancellationTerms;
import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.booking.saga.BookingSaga;
import dev.bookingplatform.booking.saga.SagaCauses.CustomerCancellation;
import dev.bookingplatform.booking.saga.SagaTrigger;
import dev.bookingplatform.web.ApiProblemException;

/**
 * {@code POST /api/bookings/{id}/cancel}: before payment the booking ends at once; a confirmed one is
 * refunded as the {@link CancellationPolicy} agreed when booking says (the resource's terms then, else now, else
 * the configured default), or the cancellation is refused with a 409
 * naming the cut-off. Runs in the caller's transaction, under the booking's row lock.
 */
@Service
public class CustomerCancellations {

    private final BookingRepository bookings;

    private final KnownResources resources;

    private final BookingSaga saga;

    private final BookingProperties properties;

    private final Clock clock;

    CustomerCancellations(BookingRepository bookings, KnownResources resources, BookingSaga saga, BookingProperties properties,
            Clock clock) {
        this.bookings = bookings;
        this.resources = resources;
        this.saga = saga;
        this.properties = properties;
        this.clock = clock;
    }

    public Booking cancel(UUID bookingId) {
        Booking booking = bookings.lock(bookingId).orElseThrow(() -> ApiProblemException.notFound("Booking", bookingId));
        CustomerCancellation cancellation = switch (booking.status()) {
            case PENDING, AWAITING_PAYMENT, CANCELLATION_REQUESTED, REFUND_FAILED ->
                    new CustomerCancellation(0, "Cancelled at the customer's request");
            case CONFIRMED -> refundFor(booking);
            case CONFIRMING -> throw new ApiProblemException(HttpStatus.CONFLICT, "Payment being confirmed",
                    "Booking " + bookingId + " was just paid and its units are being confirmed; try again in a few seconds");
            case REJECTED, EXPIRED, CANCELLED -> throw new ApiProblemException(HttpStatus.CONFLICT, "Booking already ended",
                    "Booking " + bookingId + " is " + booking.status() + " and cannot be cancelled");
        };
        saga.handle(bookingId, SagaTrigger.CUSTOMER_CANCEL, cancellation);
        return bookings.find(bookingId).orElseThrow();
    }

    private CustomerCancellation refundFor(Booking booking) {
        CancellationTerms terms = booking.agreedCancellationTerms() != null ? booking.agreedCancellationTerms()
                : resources.find(booking.resourceId()).map(KnownResources.KnownResource::cancellationTerms).orElse(null);
        if (terms == null) {
            terms = new CancellationTerms(properties.cancellation().freeCutoff(), properties.cancellation().lateRefundPercent());
        }
        long paid = booking.totalMinor() == null ? 0 : booking.totalMinor();
        CancellationPolicy.Decision decision = CancellationPolicy.decide(terms, booking.slotStart(), paid, clock.instant());
        if (decision instanceof CancellationPolicy.Refused refused) {
            throw new ApiProblemException(HttpStatus.CONFLICT, "Cancellation not allowed", refused.detail())
                    .with("cutoff", refused.cutoff().toString());
        }
        CancellationPolicy.Refund refund = (CancellationPolicy.Refund) decision;
        return new CustomerCancellation(refund.amountMinor(), refund.reason());
    }
}
