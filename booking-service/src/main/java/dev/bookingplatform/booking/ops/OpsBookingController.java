package dev.bookingplatform.booking.ops;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.booking.api.BookingView;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.booking.saga.BookingSaga;
import dev.bookingplatform.booking.saga.BookingStatus;
import dev.bookingplatform.booking.saga.SagaCauses;
import dev.bookingplatform.booking.saga.SagaTrigger;
import dev.bookingplatform.web.ApiProblemException;
import dev.bookingplatform.web.PlainText;
import dev.bookingplatform.web.openapi.ApiDocumentation;
import dev.bookingplatform.web.security.AuditTrail;
import dev.bookingplatform.web.security.Caller;

/**
 * What ops act on in the saga: the bookings that need a person (a refused refund, a step past its
 * deadline, a dispute), and a retry of a refused refund through the saga's own path.
 */
@Tag(name = "Ops")
@RestController
@RequestMapping(path = "/ops/bookings", produces = MediaType.APPLICATION_JSON_VALUE)
class OpsBookingController {

    private final BookingRepository bookings;

    private final BookingSaga saga;

    private final TransactionTemplate transactions;

    private final AuditTrail audit;

    private final JdbcClient jdbc;

    OpsBookingController(BookingRepository bookings, BookingSaga saga, TransactionTemplate transactions, AuditTrail audit,
            JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.bookings = bookings;
        this.saga = saga;
        this.transactions = transactions;
    }

    @Operation(operationId = "listBookingsNeedingAttention", summary = "List the bookings that need a person",
            description = """
                    Bookings whose refund Stripe refused (REFUND_FAILED, or an ended booking whose late payment's \
                    refund failed), whose saga step passed its deadline (flagged), or whose payment is disputed; \
                    most recently changed first.""")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "ops")
    @GetMapping("/attention")
    List<BookingView> needingAttention(
            @Parameter(description = "At most this many bookings; taken as 1 below it and 1000 above it")
            @RequestParam(defaultValue = "100") int limit) {
        return bookings.needingOps(Math.max(1, Math.min(limit, 1_000))).stream().map(BookingView::of).toList();
    }

    /**
     * A new refund attempt (a new idempotency key at Stripe) for a booking whose refund failed: a REFUND_FAILED
     * booking goes back to CANCELLATION_REQUESTED; an ended one (a late payment's refund failed) stays ended.
     * 409 when no refund of the booking has failed.
     */
    @Operation(operationId = "retryRefund", summary = "Retry a booking's failed refund", description = """
            Asks Stripe for the refund again, as a new attempt (a new idempotency key at Stripe): a REFUND_FAILED \
            booking goes back to CANCELLATION_REQUESTED and becomes CANCELLED when the refund is done; an ended \
            booking whose late payment's refund failed stays as it is. Kept in the audit trail with its reason.""")
    @ApiResponse(responseCode = "200", description = "The refund was asked for again: the booking as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = BookingView.class)))
    @ApiResponse(responseCode = "404", description = "No booking with this id", content = @Content)
    @ApiResponse(responseCode = "409", description = "No refund of this booking has failed, or its state allows no retry"
            + " (only a REFUND_FAILED or an ended booking's refund is retried)", content = @Content)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "ops")
    @PostMapping("/{id}/retry-refund")
    BookingView retryRefund(@Parameter(description = "The booking's id") @PathVariable UUID id,
            @Parameter(description = "Why, for the audit trail and the customer's e-mail; \"Refund retried by ops\" when"
                    + " absent; at most 500 characters, one line")
            @RequestParam(required = false) @Nullable @Size(max = 500)
            @Pattern(regexp = PlainText.ONE_LINE, message = PlainText.ONE_LINE_MESSAGE) String reason) {
        var booking = bookings.find(id).orElseThrow(() -> ApiProblemException.notFound("Booking", id));
        if (booking.status() != BookingStatus.REFUND_FAILED && booking.settlement().refundFailedAt() == null) {
            throw new ApiProblemException(HttpStatus.CONFLICT, "No refused refund",
                    "Booking " + id + " is " + booking.status() + " and no refund of it has failed");
        }
        Caller caller = Caller.current();
        String why = reason == null ? "Refund retried by ops" : reason;
        boolean applied = Boolean.TRUE.equals(transactions.execute(status -> {
            boolean done = saga.handle(id, SagaTrigger.OPS_RETRY_REFUND, new SagaCauses.OpsRequest(caller.subject(), why)).isPresent();
            if (done) {
                audit.record(caller, "booking.retry-refund", id.toString(), why);
            }
            return done;
        }));
        if (!applied) {
            throw new ApiProblemException(HttpStatus.CONFLICT, "No refused refund",
                    "Booking " + id + " is " + bookings.find(id).orElseThrow().status() + ", not REFUND_FAILED");
        }
        return BookingView.of(bookings.find(id).orElseThrow());
    }

    /**
     * Ends a booking the saga cannot finish (an event of it dead-lettered for good) through the saga's own
     * effects: held units released, a payment refunded in full (once: a second call finds the booking moved on
     * and answers 409). Pair it with skipping the dead letter in the service that holds it, first, so what the
     * compensation causes there is not parked behind it.
     */
    @Operation(operationId = "compensateBooking", summary = "End a booking the saga cannot finish", description = """
            For a booking stuck behind a dead-lettered event. Ends it through the saga's own effects: before \
            payment it is CANCELLED and its held units released; a paid one (CONFIRMING, CONFIRMED) becomes \
            CANCELLATION_REQUESTED and is refunded in full, then CANCELLED. Skip the dead letter in the service that \
            holds it first, so what the compensation causes there is not parked behind it. The body's `reason` \
            (required, at most 500 characters) is kept in the audit trail. Once only: a second call finds the \
            booking moved on and answers 409.""")
    @ApiResponse(responseCode = "200", description = "The booking was ended, or its refund requested: as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = BookingView.class)))
    @ApiResponse(responseCode = "404", description = "No booking with this id", content = @Content)
    @ApiResponse(responseCode = "409", description = """
            A payment of the booking is dead-lettered (replay it first: compensating without it would end a paid \
            booking without its refund), or there is nothing to compensate: the booking has ended, or its refund is \
            under way (a failed refund is retried with POST /ops/bookings/{id}/retry-refund)""", content = @Content)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "ops")
    @PostMapping("/{id}/compensate")
    BookingView compensate(@Parameter(description = "The booking's id") @PathVariable UUID id,
            @RequestBody(required = false) @Nullable CompensationRequest request) {
        if (request == null || request.reason() == null || request.reason().isBlank() || request.reason().length() > 500) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "Reason required",
                    "Say why, in a JSON body {\"reason\": \"...\"} of at most 500 characters; it is kept in the audit trail");
        }
        var booking = bookings.find(id).orElseThrow(() -> ApiProblemException.notFound("Booking", id));
        // A payment the saga never applied: ending the booking without it would keep the money (the session is
        // paid, so there is nothing to expire). Replayed on an ended booking, the saga refunds it.
        List<String> payments = jdbc.sql("""
                SELECT original_topic || '/' || original_partition || '/' || original_offset FROM dead_letter
                WHERE booking_id = ? AND event_type IN ('PaymentSucceeded', 'PaymentProcessing') AND status <> 'REPLAYED'""")
                .param(id.toString()).query(String.class).list();
        if (!payments.isEmpty()) {
            throw new ApiProblemException(HttpStatus.CONFLICT, "A payment of this booking is dead-lettered",
                    "Replay /ops/dead-letters/" + payments.get(0) + " first (after fixing its cause): compensating without"
                            + " it would end a paid booking without its refund");
        }
        Caller caller = Caller.current();
        boolean applied = Boolean.TRUE.equals(transactions.execute(status -> {
            boolean done = saga.handle(id, SagaTrigger.OPS_COMPENSATE,
                    new SagaCauses.Compensation(caller.subject(), request.reason())).isPresent();
            if (done) {
                audit.record(caller, "booking.compensate", id.toString(), request.reason());
            }
            return done;
        }));
        if (!applied) {
            throw new ApiProblemException(HttpStatus.CONFLICT, "Nothing to compensate",
                    "Booking " + id + " is " + booking.status() + ": it has ended, or its refund is under way"
                            + " (a refused refund is retried with POST /ops/bookings/" + id + "/retry-refund)");
        }
        return BookingView.of(bookings.find(id).orElseThrow());
    }

    record CompensationRequest(
            @Schema(description = "Why the booking is ended: required, at most 500 characters; kept in the audit trail")
            @Nullable String reason) {
    }
}
