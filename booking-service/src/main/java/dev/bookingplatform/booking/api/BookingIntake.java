package dev.bookingplatform.booking.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.booking.BookingProperties;
import dev.bookingplatform.booking.catalog.KnownResources;
import dev.bookingplatform.booking.catalog.KnownResources.KnownResource;
import dev.bookingplatform.booking.persistence.BookedAddOn;
import dev.bookingplatform.booking.persistence.Booking;
import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.booking.saga.BookingStatus;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.AddOnRequest;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.units.BookingRules;
import dev.bookingplatform.web.ApiProblemException;
import dev.bookingplatform.web.FieldError;
import dev.bookingplatform.web.security.AuditTrail;
import dev.bookingplatform.web.security.Caller;
import dev.bookingplatform.web.security.Scopes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Step 1 of the saga: a new booking, its {@code BookingRequested} and the first answer to its
 * idempotency key, in one transaction. A retry with the same key and body gets that answer again; with
 * another body, 422. Two concurrent requests with one key meet at the key's primary key: one commits,
 * the other replays its answer.
 */
@Service
class BookingIntake {

    private final BookingRepository bookings;

    private final IdempotencyKeys idempotencyKeys;

    private final KnownResources catalogue;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    private final TransactionTemplate transactions;

    private final JsonMapper json;

    private final Clock clock;

    private final BookingProperties properties;

    private final AuditTrail audit;

    BookingIntake(BookingRepository bookings, IdempotencyKeys idempotencyKeys, KnownResources catalogue, OutboxWriter outbox,
            EventMetadataFactory metadata, TransactionTemplate transactions, JsonMapper json, Clock clock, BookingProperties properties,
            AuditTrail audit) {
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
        this.bookings = bookings;
        this.idempotencyKeys = idempotencyKeys;
        this.catalogue = catalogue;
        this.outbox = outbox;
        this.metadata = metadata;
        this.transactions = transactions;
        this.json = json;
    }

    Answer create(Caller caller, String idempotencyKey, CreateBookingRequest request) {
        String requestHash = sha256(request.fingerprint());
        var first = idempotencyKeys.find(caller.subject(), idempotencyKey);
        if (first.isPresent()) {
            return replay(idempotencyKey, first.get(), requestHash);
        }
        KnownResource resource = checkAgainstCatalogue(request);
        try {
            Answer answer = transactions.execute(status -> accept(caller, idempotencyKey, request, requestHash, resource));
            return Objects.requireNonNull(answer);
        }
        catch (DuplicateKeyException concurrentRequestWithSameKey) {
            return replay(idempotencyKey, idempotencyKeys.find(caller.subject(), idempotencyKey).orElseThrow(), requestHash);
        }
    }

    private Answer accept(Caller caller, String idempotencyKey, CreateBookingRequest request, String requestHash,
            KnownResource resource) {
        Instant now = clock.instant();
        List<BookedAddOn> addOns = request.addOnsOrNone().stream()
                .map(addOn -> new BookedAddOn(addOn.addOnId(), addOn.quantity())).toList();
        Booking booking = Booking.requested(UUID.randomUUID(), request.customerEmail(), request.customerName(),
                request.customerLocale(), request.resourceId(), request.slotStart(), request.slotEnd(), request.quantity(),
                addOns, now);
        bookings.insert(booking);
        bookings.recordOwner(booking.id(), caller.subject());
        if (caller.has(Scopes.BOOKINGS_ADMIN)) {
            audit.record(caller, "booking.create", booking.id().toString(), "resource " + booking.resourceId());
        }
        bookings.recordAgreedTerms(booking.id(), resource.cancellationTerms() != null ? resource.cancellationTerms()
                : new KnownResources.CancellationTerms(properties.cancellation().freeCutoff(), properties.cancellation().lateRefundPercent()));
        bookings.logTransition(booking.id(), null, BookingStatus.PENDING, "BookingRequest", true);
        outbox.append(booking.id().toString(), new BookingRequested(metadata.next(), booking.id(), booking.customerEmail(),
                booking.customerName(), booking.resourceId(), booking.slotStart(), booking.slotEnd(), booking.quantity(),
                addOns.stream().map(addOn -> new AddOnRequest(addOn.addOnId(), addOn.quantity())).toList(),
                booking.customerLocale()));
        String body = json.writeValueAsString(BookingView.of(booking));
        idempotencyKeys.insert(caller.subject(), idempotencyKey, new IdempotencyKeys.FirstResponse(requestHash, booking.id(),
                HttpStatus.ACCEPTED.value(), body), now);
        return new Answer(booking.id(), HttpStatus.ACCEPTED.value(), body, false);
    }

    private KnownResource checkAgainstCatalogue(CreateBookingRequest request) {
        KnownResource resource = catalogue.find(request.resourceId()).orElseThrow(() -> invalid(
                List.of(new FieldError("resourceId", "no resource " + request.resourceId() + " exists"))));
        List<FieldError> errors = new ArrayList<>(rangeErrors(resource, request));
        for (int i = 0; i < request.addOnsOrNone().size(); i++) {
            String addOnId = request.addOnsOrNone().get(i).addOnId();
            if (!resource.addOnIds().contains(addOnId)) {
                errors.add(new FieldError("addOns[" + i + "].addOnId", resource.id() + " offers no add-on " + addOnId));
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return resource;
    }

    /** The range must cover whole units of the resource, as many as it allows; nothing else enters the saga. */
    private static List<FieldError> rangeErrors(KnownResource resource, CreateBookingRequest request) {
        BookingRules rules = resource.rules();
        if (rules == null) {
            return List.of(new FieldError("resourceId", resource.id() + " cannot be booked yet: its booking rules are not known here"));
        }
        return rules.cover(request.slotStart(), request.slotEnd()).violations().stream()
                .map(violation -> new FieldError(violation.field(), violation.message())).toList();
    }

    private static ApiProblemException invalid(List<FieldError> errors) {
        return ApiProblemException.invalid(HttpStatus.UNPROCESSABLE_CONTENT, errors);
    }

    private static Answer replay(String key, IdempotencyKeys.FirstResponse first, String requestHash) {
        if (!first.requestHash().equals(requestHash)) {
            throw new ApiProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
                    "Idempotency-Key " + key + " was first used with another request body (booking " + first.bookingId()
                            + "); use a new key for a new booking").with("bookingId", first.bookingId());
        }
        return new Answer(first.bookingId(), first.status(), first.body(), true);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The answer to a create: the booking, and the status and body to send (the first ones, on a replay). */
    record Answer(UUID bookingId, int status, String body, boolean replayed) {
    }
}
