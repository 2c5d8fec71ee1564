package dev.bookingplatform.booking.ops;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.booking.api.BookingView;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.booking.saga.BookingSaga;
import dev.bookingplatform.booking.saga.SagaCauses;
import dev.bookingplatform.booking.saga.SagaTrigger;
import dev.bookingplatform.web.ApiProblemException;

/**
 * What ops act on in the saga: the bookings that need a person (a refused refund, a step past its
 * deadline, a dispute), and a retry of a refused refund through the saga's own path.
 */
@RestController
@RequestMapping(path = "/ops/bookings", produces = MediaType.APPLICATION_JSON_VALUE)
class OpsBookingController {

    private final BookingRepository bookings;

    private final BookingSaga saga;

    private final TransactionTemplate transactions;

    OpsBookingController(BookingRepository bookings, BookingSaga saga, TransactionTemplate transactions) {
        this.bookings = bookings;
        this.saga = saga;
        this.transactions = transactions;
    }

    @GetMapping("/attention")
    List<BookingView> needingAttention(@RequestParam(defaultValue = "100") int limit) {
        return bookings.needingOps(Math.max(1, Math.min(limit, 1_000))).stream().map(BookingView::of).toList();
    }

    /** 202 and the booking, back in CANCELLATION_REQUESTED with a new refund attempt; 409 unless it is REFUND_FAILED. */
    @PostMapping("/{id}/retry-refund")
    BookingView retryRefund(@PathVariable UUID id, @RequestParam(required = false) @Nullable String reason) {
        if (bookings.find(id).isEmpty()) {
            throw ApiProblemException.notFound("Booking", id);
        }
        boolean applied = Boolean.TRUE.equals(transactions.execute(status -> saga.handle(id, SagaTrigger.OPS_RETRY_REFUND,
                new SagaCauses.OpsRequest("ops", reason == null ? "Refund retried by ops" : reason)).isPresent()));
        if (!applied) {
            throw new ApiProblemException(HttpStatus.CONFLICT, "No refused refund",
                    "Booking " + id + " is " + bookings.find(id).orElseThrow().status() + ", not REFUND_FAILED");
        }
        return BookingView.of(bookings.find(id).orElseThrow());
    }
}
