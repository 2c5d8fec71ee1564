package dev.bookingplatform.payment.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.web.BookingIdsAsked;

/**
 * What payment-service knows of bookings' money, for the consistency monitor (the ops tool), which compares it
 * with what booking-service says of them: the session's state, whether it was paid, and its refund.
 */
@RestController
@RequestMapping(path = "/ops/consistency", produces = MediaType.APPLICATION_JSON_VALUE)
class ConsistencyFactsController {

    static final int MAX_BOOKINGS = 5_000;

    private final JdbcClient jdbc;

    ConsistencyFactsController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Each asked booking's checkout session, by booking id; a booking with no session is absent. */
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
}
