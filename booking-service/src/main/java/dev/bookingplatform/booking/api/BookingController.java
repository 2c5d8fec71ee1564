package dev.bookingplatform.booking.api;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
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
import org.springframework.web.context.request.WebRequest;
import tools.jackson.databind.json.JsonMapper;

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
@Tag(name = "Bookings")
@RestController
@RequestMapping(path = "/api/bookings", produces = MediaType.APPLICATION_JSON_VALUE)
@Validated
class BookingController {

    /** When a poller should look at a booking again after a 202: the saga's next step usually lands within it. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final BookingIntake intake;

    private final BookingRepository bookings;

    private final CustomerCancellations cancellations;

    private final TransactionTemplate transactions;

    private final BookingAccess access;

    private final AuditTrail audit;

    private final JsonMapper json;

    BookingController(BookingIntake intake, BookingRepository bookings, CustomerCancellations cancellations,
            TransactionTemplate transactions, BookingAccess access, AuditTrail audit, JsonMapper json) {
        this.json = json;
        this.access = access;
        this.audit = audit;
        this.intake = intake;
        this.bookings = bookings;
        this.cancellations = cancellations;
        this.transactions = transactions;
    }

    /** 202: the booking exists and the saga has started; poll {@code Location} for the outcome. */
    @Operation(operationId = "createBooking", summary = "Create a booking", description = """
            Creates the booking, PENDING, owned by the token's subject, and starts its saga: inventory holds its \
            units (AWAITING_PAYMENT, with a `checkoutUrl` to pay at), the customer pays, and it is CONFIRMED, or it \
            ends REJECTED, EXPIRED or CANCELLED. The answer does not wait for any of that: follow the booking at \
            `Location` (GET with If-None-Match, or its event stream). A request with an `Idempotency-Key` already \
            used by this subject and the same body is not applied again: it gets the first answer again, the \
            booking as it was then, with `Idempotent-Replayed: true`.""")
    @ApiResponse(responseCode = "202", description = """
            The booking exists and its saga has started (or, on a retry with the same key and body, the first answer \
            to that key, replayed)""",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = BookingView.class)),
            headers = {
                    @Header(name = HttpHeaders.LOCATION, description = "Where to follow the booking: /api/bookings/{id}",
                            schema = @Schema(type = "string")),
                    @Header(name = "Idempotent-Replayed", description = "true when this is the replayed first answer to"
                            + " the Idempotency-Key, false when this request created the booking",
                            schema = @Schema(type = "boolean")),
                    @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before looking at the booking"
                            + " again: its saga's next step usually lands within it", schema = @Schema(type = "integer")) })
    @ApiResponse(responseCode = "422", description = """
            The request is well-formed but cannot be booked: the resource does not exist or its booking rules are not \
            known yet, the slot does not cover whole units of it within what it allows, or it offers no such add-on \
            (`errors` names each field); or the Idempotency-Key was first used with another body (`bookingId` names \
            the booking it made)""", content = @Content)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:write")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> create(
            @Parameter(description = """
                    Makes the request safe to retry: a new key per booking (a UUID, say), the same key for each retry \
                    of it. The first answer to a key is kept for 24 hours, per token subject (one caller's keys never \
                    meet another's): a request with the same key and body gets that answer again instead of making a \
                    second booking; the same key with another body is refused with 422. After 24 hours the key is \
                    forgotten and would make a new booking. Up to 255 printable ASCII characters, no spaces.""")
            @RequestHeader("Idempotency-Key") @NotBlank @Size(max = 255) @Pattern(regexp = "[\\x21-\\x7E]+",
                    message = "must be printable ASCII without spaces") String idempotencyKey,
            @RequestBody @Valid CreateBookingRequest request) {
        BookingIntake.Answer answer = intake.create(Caller.current(), idempotencyKey, request);
        return ResponseEntity.status(answer.status())
                .location(URI.create("/api/bookings/" + answer.bookingId()))
                .header("Idempotent-Replayed", Boolean.toString(answer.replayed()))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer.body());
    }

    /** A customer's token sees its own bookings only; another's answers 404, exactly as a missing one. */
    @Operation(operationId = "getBooking", summary = "Get a booking", description = """
            The booking as it is now. A customer's token reads its own bookings only; an admin token reads any. \
            Poll with the last answer's `ETag` in `If-None-Match`: an unchanged booking answers 304 without a body. \
            The `ETag` changes with anything the booking's body shows, and only then.""")
    @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_NONE_MATCH, description = "The ETag of the copy the caller"
            + " has: 304 without a body when the booking still has it", schema = @Schema(type = "string"))
    @ApiResponse(responseCode = "200", description = "The booking",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = BookingView.class)),
            headers = @Header(name = HttpHeaders.ETAG, description = "The booking's current version, to send back in"
                    + " If-None-Match", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "304", description = "The booking has not changed since the ETag in If-None-Match; no body",
            content = @Content, headers = @Header(name = HttpHeaders.ETAG, description = "The booking's current version",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No booking with this id, or it is not the token's (the same answer,"
            + " so ids cannot be probed)", content = @Content)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:read")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @GetMapping("/{id}")
    ResponseEntity<BookingView> get(@Parameter(description = "The booking's id") @PathVariable UUID id, WebRequest request) {
        access.check(Caller.current(), id);
        BookingView view = bookings.find(id).map(BookingView::of).orElseThrow(() -> ApiProblemException.notFound("Booking", id));
        String etag = etag(view);
        if (request.checkNotModified(etag)) {
            // 304 with the ETag and no body: the poller's copy is current.
            return null;
        }
        return ResponseEntity.ok().eTag(etag).body(view);
    }

    /** A digest of what the caller would read, so any visible change, and only that, changes it. */
    private String etag(BookingView view) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(view));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every Java platform has SHA-256", ex);
        }
    }

    /**
     * The caller's own bookings, newest first; an admin token lists everyone's. An e-mail address is never taken
     * from the URL, where proxies, access logs and request logging would keep it: support looks one up with
     * {@code POST /api/bookings/search}.
     */
    @Operation(operationId = "listBookings", summary = "List bookings, newest first", description = """
            A customer's token lists its own bookings; an admin token lists everyone's. Pages are numbered from 0. \
            An e-mail address is never taken from the URL (an `email` parameter is refused with 400): look one up \
            with POST /api/bookings/search.""")
    @ApiResponse(responseCode = "200", description = "One page of bookings",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = BookingPage.class)),
            headers = @Header(name = HttpHeaders.LINK, description = "RFC 8288 links to the first, previous (when there"
                    + " is one), next (when there is one) and last page, relative to the API's root, same filter and size",
                    schema = @Schema(type = "string")))
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:read")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @GetMapping
    ResponseEntity<BookingPage> list(@Parameter(hidden = true) @RequestParam(required = false) @Nullable String email,
            @Parameter(description = "Only bookings in this state")
            @RequestParam(required = false) @Nullable BookingStatus status,
            @Parameter(description = "Which page, from 0") @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
            @Parameter(description = "Bookings per page") @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        if (email != null) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "No e-mail address in a URL",
                    "Look bookings up by e-mail address with POST /api/bookings/search (bookings:admin), the address in the body");
        }
        Caller caller = Caller.current();
        BookingPage found = page(caller.has(Scopes.BOOKINGS_ADMIN) ? null : caller.subject(), null, status, page, size);
        return ResponseEntity.ok().header(HttpHeaders.LINK, PageLinks.of(found, status)).body(found);
    }

    /** Support's look-up of one customer's bookings by e-mail address, in the body. Admin tokens only. */
    @Operation(operationId = "searchBookings", summary = "Find a customer's bookings by e-mail address", description = """
            Support's look-up, newest first, for admin tokens only. The address is in the body so that no URL, \
            proxy or access log keeps it; it is matched without regard to case. Every search is kept in the audit \
            trail: who looked, for whose address (as its SHA-256), and how many bookings it found.""")
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
    record BookingSearch(
            @Schema(description = "The customer's e-mail address, matched without regard to case")
            @NotBlank @Email @Size(max = 320) String email,
            @Schema(description = "Only bookings in this state") @Nullable BookingStatus status,
            @Schema(description = "Which page, from 0; 0 when absent") @Nullable @Min(0) @Max(10_000) Integer page,
            @Schema(description = "Bookings per page; 20 when absent") @Nullable @Min(1) @Max(100) Integer size) {

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
    @Operation(operationId = "cancelBooking", summary = "Cancel a booking", description = """
            Before payment (PENDING, AWAITING_PAYMENT) the booking is CANCELLED at once and its held units released. A \
            CONFIRMED booking becomes CANCELLATION_REQUESTED and is refunded as the terms agreed when booking say: \
            in full before the free-cancellation cut-off, the resource's late share after it (if it allows late \
            cancellation); it becomes CANCELLED when the refund is done. Asking again while a cancellation is under \
            way (CANCELLATION_REQUESTED, REFUND_FAILED) changes nothing and answers 202 again. A customer's token \
            cancels its own bookings only; an admin token any (audited).""")
    @ApiResponse(responseCode = "202", description = "The cancellation is done or under way: the booking as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = BookingView.class)),
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before looking at the"
                    + " booking again", schema = @Schema(type = "integer")))
    @ApiResponse(responseCode = "404", description = "No booking with this id, or it is not the token's", content = @Content)
    @ApiResponse(responseCode = "409", description = """
            The booking cannot be cancelled now: it already ended (REJECTED, EXPIRED, CANCELLED); it was just paid and \
            is being confirmed (CONFIRMING: try again in a few seconds); or its slot has begun, or its free \
            cancellation cut-off has passed and the resource allows no late cancellation (`cutoff` says when free \
            cancellation ended)""", content = @Content)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:write")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @PostMapping("/{id}/cancel")
    ResponseEntity<BookingView> cancel(@Parameter(description = "The booking's id") @PathVariable UUID id) {
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
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).body(view);
    }
}
