package dev.bookingplatform.booking.api;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.booking.cancellation.CustomerCancellations;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.booking.saga.BookingStatus;
import dev.bookingplatform.web.ApiProblemException;

/** The booking API the public gateway calls on behalf of customers. */
@RestController
@RequestMapping(path = "/api/bookings", produces = MediaType.APPLICATION_JSON_VALUE)
@Validated
class BookingController {

    private final BookingIntake intake;

    private final BookingRepository bookings;

    private final CustomerCancellations cancellations;

    private final TransactionTemplate transactions;

    BookingController(BookingIntake intake, BookingRepository bookings, CustomerCancellations cancellations,
            TransactionTemplate transactions) {
        this.intake = intake;
        this.bookings = bookings;
        this.cancellations = cancellations;
        this.transactions = transactions;
    }

    /** 202: the booking exists and the saga has started; poll {@code Location} for the outcome. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> create(
            @RequestHeader("Idempotency-Key") @NotBlank @Size(max = 255) @Pattern(regexp = "[\\x21-\\x7E]+",
                    message = "must be printable ASCII without spaces") String idempotencyKey,
            @RequestBody @Valid CreateBookingRequest request) {
        BookingIntake.Answer answer = intake.create(idempotencyKey, request);
        return ResponseEntity.status(answer.status())
                .location(URI.create("/api/bookings/" + answer.bookingId()))
                .header("Idempotent-Replayed", Boolean.toString(answer.replayed()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer.body());
    }

    @GetMapping("/{id}")
    BookingView get(@PathVariable UUID id) {
        return bookings.find(id).map(BookingView::of).orElseThrow(() -> ApiProblemException.notFound("Booking", id));
    }

    @GetMapping
    BookingPage search(@RequestParam(required = false) @Nullable @Email String email,
            @RequestParam(required = false) @Nullable BookingStatus status,
            @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        long total = bookings.count(email, status);
        return new BookingPage(bookings.search(email, status, page, size).stream().map(BookingView::of).toList(), page, size,
                total, (total + size - 1) / size);
    }

    /**
     * 202: before payment the booking is cancelled at once; after confirmation the refund the resource's
     * cancellation policy allows is requested (CANCELLATION_REQUESTED) and the booking becomes CANCELLED when
     * it is done. 409 if the booking already ended, is being confirmed, or is past its cancellation cut-off.
     */
    @PostMapping("/{id}/cancel")
    ResponseEntity<BookingView> cancel(@PathVariable UUID id) {
        BookingView view = transactions.execute(status -> BookingView.of(cancellations.cancel(id)));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
    }
}
