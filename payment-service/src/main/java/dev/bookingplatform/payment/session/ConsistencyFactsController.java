package dev.bookingplatform.payment.session;

import java.util.LinkedHashMap;
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
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.web.BookingIdsAsked;
import dev.bookingplatform.web.openapi.ApiDocumentation;

/**
 * What payment-service knows of bookings' money, for the consistency monitor (the ops tool), which compares it
 * with what booking-service says of them: the session's state, whether it was paid, and its refund.
 */
@Tag(name = "Ops")
@RestController
@RequestMapping(path = "/ops/consistency", produces = MediaType.APPLICATION_JSON_VALUE)
class ConsistencyFactsController {

    static final int MAX_BOOKINGS = 5_000;

    private final JdbcClient jdbc;

    ConsistencyFactsController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Each asked booking's checkout session, by booking id; a booking with no session is absent. */
    @Operation(operationId = "paymentConsistencyFacts", summary = "Get the payment facts of the given bookings",
            description = """
                    For the consistency monitor, which compares them with what booking-service says: each asked \
                    booking's Checkout Session (its state, whether it was paid, its amount and its refund), keyed by \
                    booking id. A booking with no session here is absent. At most 5000 ids; 400 without `bookingIds` \
                    or with more.""")
    @ApiResponse(responseCode = "200", description = "The asked bookings' payment facts, keyed by booking id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(type = "object", description = "Booking id to that booking's payment facts"),
                    // allOf: an implementation here would not be resolved into a reference.
                    additionalPropertiesSchema = @Schema(allOf = PaymentFacts.class)))
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "ops")
    @PostMapping("/payments")
    Map<UUID, Map<String, Object>> payments(@RequestBody BookingIdsAsked asked) {
        List<UUID> ids = asked.validated(MAX_BOOKINGS);
        Map<UUID, Map<String, Object>> payments = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return payments;
        }
        jdbc.sql("""
                SELECT booking_id, status, payment_intent_id IS NOT NULL AS paid, amount_minor, refund_status, refund_amount_minor
                FROM payment_session WHERE booking_id IN (:ids)""").param("ids", ids).query(row -> {
            Map<String, Object> payment = new LinkedHashMap<>();
            payment.put("sessionStatus", row.getString("status"));
            payment.put("paid", row.getBoolean("paid"));
            payment.put("amountMinor", row.getLong("amount_minor"));
            payment.put("refundStatus", row.getString("refund_status"));
            payment.put("refundedMinor", row.getObject("refund_amount_minor"));
            payments.put(row.getObject("booking_id", UUID.class), payment);
        });
        return payments;
    }

    /** One booking's payment as this controller writes it, for the document: it is written as a map. */
    @Schema(description = "What payment-service knows of a booking's money")
    record PaymentFacts(
            @Schema(description = "The Checkout Session's state") PaymentSession.Status sessionStatus,
            @Schema(description = "Whether Stripe reported the session paid (it has a payment intent)") boolean paid,
            @Schema(description = "The session's amount, in the currency's minor unit") long amountMinor,
            @Schema(description = "The refund's state at Stripe; null when none was asked for")
            PaymentSession.@Nullable RefundStatus refundStatus,
            @Schema(description = "The refund's amount, in the currency's minor unit; null when none was asked for")
            @Nullable Long refundedMinor) {
    }
}
