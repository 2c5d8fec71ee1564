package dev.bookingplatform.booking.ops;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.security.SecurityRequirement;
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

    record ErasureRequest(@Nullable String email, @Nullable String reason) {
    }
}
