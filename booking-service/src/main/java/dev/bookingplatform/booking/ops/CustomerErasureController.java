package dev.bookingplatform.booking.ops;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.booking.AddressDigest;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.erasure.PersonalDataErasure;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.booking.CustomerDataErased;
import dev.bookingplatform.web.ApiProblemException;
import dev.bookingplatform.web.openapi.ApiDocumentation;
import dev.bookingplatform.web.security.AuditTrail;
import dev.bookingplatform.web.security.Caller;

/**
 * Erasure on request: one customer's e-mail address and name, in booking-service now (the bookings, their
 * idempotency answers, outbox rows and dead letters) and in every other service by {@code CustomerDataErased},
 * which names the bookings, not the person, in the same transaction. Bookings, prices and history stay.
 */
@Tag(name = "Ops")
@RestController
@RequestMapping(path = "/ops/customers", produces = MediaType.APPLICATION_JSON_VALUE)
class CustomerErasureController {

    private final JdbcClient jdbc;

    private final PersonalDataErasure erasure;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    private final TransactionTemplate transactions;

    private final AuditTrail audit;

    CustomerErasureController(JdbcClient jdbc, PersonalDataErasure erasure, OutboxWriter outbox, EventMetadataFactory metadata,
            TransactionTemplate transactions, AuditTrail audit) {
        this.jdbc = jdbc;
        this.erasure = erasure;
        this.outbox = outbox;
        this.metadata = metadata;
        this.transactions = transactions;
        this.audit = audit;
    }

    @Operation(operationId = "eraseCustomer", summary = "Erase a customer's personal data", description = """
            Erases the customer's e-mail address and name here at once from every booking of the address (matched \
            without regard to case), and deletes what else holds them: the stored first answers of POST \
            /api/bookings, the bookings' outbox rows and the bytes of their dead letters (which can then only be \
            skipped, not replayed). In the same transaction it announces the erasure (CustomerDataErased, which names \
            the bookings, not the person), so every other service erases its copy within seconds. Bookings, prices \
            and history stay. The body needs the address and a reason of at most 500 characters; the erasure is \
            recorded with the address as its SHA-256, and in the audit trail. An address with no booking is recorded \
            too, and answers 200 with no bookings.""")
    @ApiResponse(responseCode = "200", description = "Erased here, and announced to the other services",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ErasureAnswer.class)))
    @ApiResponse(responseCode = "409", description = """
            A payment of one of the customer's bookings is dead-lettered (PaymentSucceeded or PaymentProcessing, \
            neither replayed nor skipped): replay it first, since erasure drops the bytes a replay needs; nothing was \
            erased""", content = @Content)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "ops")
    @PostMapping("/erasure")
    Map<String, Object> erase(@RequestBody(required = false) @Nullable ErasureRequest request) {
        if (request == null || request.email() == null || request.email().isBlank() || request.email().length() > 320
                || request.reason() == null || request.reason().isBlank() || request.reason().length() > 500) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "Invalid erasure request",
                    "Give the customer's email and a reason of at most 500 characters");
        }
        Caller caller = Caller.current();
        UUID erasureId = UUID.randomUUID();
        List<UUID> bookings = transactions.execute(status -> {
            List<UUID> ids = jdbc.sql("SELECT id FROM booking WHERE lower(customer_email) = lower(?) FOR UPDATE")
                    .param(request.email().trim()).query(UUID.class).list();
            String[] texts = ids.stream().map(UUID::toString).toArray(String[]::new);
            refuseWhileAPaymentIsDeadLettered(texts);
            jdbc.sql("UPDATE booking SET customer_email = 'erased+' || id || '@invalid', customer_name = '(erased)',"
                    + " updated_at = now() WHERE id = ANY (?::uuid[])").param(texts).update();
            // Stored answers of POST /api/bookings repeat the booking, address included.
            jdbc.sql("DELETE FROM idempotency_key WHERE booking_id = ANY (?::uuid[])").param(texts).update();
            erasure.erase(ids);
            if (!ids.isEmpty()) {
                outbox.append(erasureId.toString(), new CustomerDataErased(metadata.next(), erasureId, ids));
            }
            jdbc.sql("INSERT INTO customer_erasure (id, email_sha256, requested_by, reason, bookings) VALUES (?, ?, ?, ?, ?)")
                    .params(erasureId, AddressDigest.of(request.email()), caller.subject(), request.reason(),
                            ids.size()).update();
            audit.record(caller, "customer.erase", erasureId.toString(), ids.size() + " booking(s): " + request.reason());
            return ids;
        });
        return Map.of("erasureId", erasureId, "bookings", bookings, "status", bookings.isEmpty()
                ? "no booking of this address: nothing to erase (recorded)"
                : "erased here; every other service erases its copy when it reads CustomerDataErased (seconds)");
    }

    /**
     * Erasure drops dead letters' bytes, so a payment the saga never applied could then be neither replayed nor
     * (being money) skipped, and its refund would never come: it is settled first.
     */
    private void refuseWhileAPaymentIsDeadLettered(String[] bookings) {
        List<String> payments = jdbc.sql("""
                SELECT booking_id || ' (' || original_topic || '/' || original_partition || '/' || original_offset || ')'
                FROM dead_letter WHERE booking_id = ANY (?::text[]) AND event_type IN ('PaymentSucceeded', 'PaymentProcessing')
                AND status NOT IN ('REPLAYED', 'SKIPPED')""").param(bookings).query(String.class).list();
        if (!payments.isEmpty()) {
            throw new ApiProblemException(HttpStatus.CONFLICT, "A payment of this customer is dead-lettered",
                    "Replay the dead-lettered payment of booking " + payments.get(0) + " first (the saga refunds it if the"
                            + " booking ended), then erase: erasure drops the bytes a replay needs");
        }
    }

    record ErasureRequest(
            @Schema(description = "The customer's e-mail address: required, at most 320 characters")
            @Nullable String email,
            @Schema(description = "Why, for the erasure's record and the audit trail: required, at most 500 characters")
            @Nullable String reason) {
    }

    /** What {@code erase} answers, for the document: the body is written as a map. */
    @Schema(description = "An erasure's record")
    record ErasureAnswer(
            @Schema(description = "The erasure's id, as recorded and as CustomerDataErased names it") UUID erasureId,
            @Schema(description = "The bookings whose customer data was erased; empty when the address had none")
            List<UUID> bookings,
            @Schema(description = "What happened, for a person to read") String status) {
    }
}
