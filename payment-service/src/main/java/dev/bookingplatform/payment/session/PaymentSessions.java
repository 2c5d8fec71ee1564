package dev.bookingplatform.payment.session;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Checkout Sessions in payment-service's database; read {@link #lock}ed by whoever changes one. */
@Repository
public class PaymentSessions {

    private static final RowMapper<PaymentSession> SESSION = (rs, row) -> new PaymentSession(
            rs.getObject("booking_id", UUID.class), rs.getString("session_id"),
            PaymentSession.Status.valueOf(rs.getString("status")), rs.getLong("amount_minor"), rs.getString("currency"),
            rs.getString("customer_email"), rs.getString("customer_name"), rs.getString("payment_intent_id"),
            rs.getString("refund_id"));

    private final JdbcClient jdbc;

    PaymentSessions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<PaymentSession> lock(UUID bookingId) {
        return jdbc.sql("SELECT * FROM payment_session WHERE booking_id = ? FOR UPDATE").param(bookingId).query(SESSION).optional();
    }

    void insert(UUID bookingId, String sessionId, long amountMinor, String currency, String customerEmail,
            @Nullable String customerName, String checkoutUrl, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO payment_session (booking_id, session_id, status, amount_minor, currency, customer_email,
                                             customer_name, checkout_url, expires_at)
                VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?, ?)""")
                .params(bookingId, sessionId, amountMinor, currency, customerEmail, customerName, checkoutUrl,
                        Timestamp.from(expiresAt))
                .update();
    }

    public void markCompleted(UUID bookingId, String paymentIntentId) {
        jdbc.sql("UPDATE payment_session SET status = 'COMPLETED', payment_intent_id = ?, updated_at = now() WHERE booking_id = ?")
                .params(paymentIntentId, bookingId).update();
    }

    public void mark(UUID bookingId, PaymentSession.Status status) {
        jdbc.sql("UPDATE payment_session SET status = ?, updated_at = now() WHERE booking_id = ?")
                .params(status.name(), bookingId).update();
    }

    void markRefunded(UUID bookingId, String refundId) {
        jdbc.sql("UPDATE payment_session SET refund_id = ?, refunded_at = now(), updated_at = now() WHERE booking_id = ?")
                .params(refundId, bookingId).update();
    }
}
