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

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
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

import dev.bookingplatform.booking.AddressDigest;
import dev.bookingplatform.booking.cancellation.CustomerCancellations;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.booking.saga.BookingStatus;
import dev.bookingplatform.web.ApiProblemException;
import dev.bookingplatform.web.openapi.ApiDocumentation;
import dev.bookingplatform.web.security.AuditTrail;
import dev.bookingplatform.web.security.Caller;
import dev.bookingplatform.web.security.Scopes;

/** The booking API the public gateway calls on behalf of customers. */
@RestController
@RequestMapping(path = "/api/bookings", produces = MediaType.APPLICATION_JSON_VALUE)
@Validated
class BookingController {

    private final BookingIntake intake;

    private final BookingRepository bookings;

    private final CustomerCancellations cancellations;

    private final TransactionTemplate transactions;

    private final BookingAccess access;

    private final AuditTrail audit;

    BookingController(BookingIntake intake, BookingRepository bookings, CustomerCancellations cancellations,
            TransactionTemplate transactions, BookingAccess access, AuditTrail audit) {
        this.access = access;
        this.audit = audit;
        this.intake = intake;
        this.bookings = bookings;
        this.cancellations = cancellations;
        this.transactions = transactions;
    }

    /** 202: the booking exists and the saga has started; poll {@code Location} for the outcome. */
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:write")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> create(
            @RequestHeader("Idempotency-Key") @NotBlank @Size(max = 255) @Pattern(regexp = "[\\x21-\\x7E]+",
                    message = "must be printable ASCII without spaces") String idempotencyKey,
            @RequestBody @Valid CreateBookingRequest request) {
        BookingIntake.Answer answer = intake.create(Caller.current(), idempotencyKey, request);
        return ResponseEntity.status(answer.status())
                .location(URI.create("/api/bookings/" + answer.bookingId()))
                .header("Idempotent-Replayed", Boolean.toString(answer.replayed()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer.body());
    }

    /** A customer's token sees its own bookings only; another's answers 404, exactly as a missing one. */
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:read")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @GetMapping("/{id}")
    BookingView get(@PathVariable UUID id) {
        access.check(Caller.current(), id);
        return bookings.find(id).map(BookingView::of).orElseThrow(() -> ApiProblemException.notFound("Booking", id));
    }

    /**
     * The caller's own bookings, newest first; an admin token lists everyone's. An e-mail address is never taken
     * from the URL, where proxies, access logs and request logging would keep it: support looks one up with
     * {@code POST /api/bookings/search}.
     */
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:read")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @GetMapping
    BookingPage list(@Parameter(hidden = true) @RequestParam(required = false) @Nullable String email,
            @RequestParam(required = false) @Nullable BookingStatus status,
            @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        if (email != null) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "No e-mail address in a URL",
                    "Look bookings up by e-mail address with POST /api/bookings/search (bookings:admin), the address in the body");
        }
        Caller caller = Caller.current();
        return page(caller.has(Scopes.BOOKINGS_ADMIN) ? null : caller.subject(), null, status, page, size);
    }

    /** Support's look-up of one customer's bookings by e-mail address, in the body. Admin tokens only. */
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @PostMapping(path = "/search", consumes = MediaType.APPLICATION_JSON_VALUE)
    BookingPage search(@RequestBody @Valid BookingSearch search) {
        BookingPage found = page(null, search.email(), search.status(), search.page() == null ? 0 : search.page(),
                search.size() == null ? 20 : search.size());
        // A read of one person's data, kept like a change: who looked, for whom (the address as its SHA-256), what came back.
        audit.record(Caller.current(), "booking.search-by-email", AddressDigest.of(search.email()), found.totalItems() + " booking(s)");
        return found;
    }

    /** What support asks for: whose bookings (required), in which state, which page. */
    record BookingSearch(@NotBlank @Email @Size(max = 320) String email, @Nullable BookingStatus status,
            @Nullable @Min(0) @Max(10_000) Integer page, @Nullable @Min(1) @Max(100) Integer size) {

        /** Spring logs a request body by its toString at DEBUG: the address stays out. */
        @Override
        public String toString() {
            return "BookingSearch[email=<masked>, status=" + status + ", page=" + page + ", size=" + size + "]";
        }
    }

    private BookingPage page(@Nullable String owner, @Nullable String email, @Nullable BookingStatus status, int page, int size) {
        long total = bookings.count(owner, email, status);
        return new BookingPage(bookings.search(owner, email, status, page, size).stream().map(BookingView::of).toList(), page,
                size, total, (total + size - 1) / size);
    }

    /**
     * 202: before payment the booking is cancelled at once; after confirmation the refund the resource's
     * cancellation policy allows is requested (CANCELLATION_REQUESTED) and the booking becomes CANCELLED when
     * it is done. 409 if the booking already ended, is being confirmed, or is past its cancellation cut-off.
     */
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:write")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @PostMapping("/{id}/cancel")
    ResponseEntity<BookingView> cancel(@PathVariable UUID id) {
        Caller caller = Caller.current();
        access.check(caller, id);
        BookingView view = transactions.execute(status -> {
            BookingView cancelled = BookingView.of(cancellations.cancel(id));
            // Everything an admin token changes is audited, a booking it created itself as much as a customer's.
            if (caller.has(Scopes.BOOKINGS_ADMIN)) {
                audit.record(caller, "booking.cancel", id.toString(), "now " + cancelled.status());
            }
            return cancelled;
        });
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
    }
}
