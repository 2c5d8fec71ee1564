package dev.bookingplatform.payment.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.bookingplatform.eventing.correlation.CorrelationScope;

/** Checkout Sessions in payment-service's database; {@code lock...}ed by whoever changes one. */
@Repository
public class PaymentSessions {

    private final JdbcClient jdbc;

    PaymentSessions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<PaymentSession> find(UUID bookingId) {
        return jdbc.sql("SELECT * FROM payment_session WHERE booking_id = ?").param(bookingId).query(PaymentSessions::map).optional();
    }

    public Optional<PaymentSession> lock(UUID bookingId) {
        return jdbc.sql("SELECT * FROM payment_session WHERE booking_id = ? FOR UPDATE").param(bookingId)
                .query(PaymentSessions::map).optional();
    }

    public Optional<PaymentSession> lockByRefund(String refundId) {
        return jdbc.sql("SELECT * FROM payment_session WHERE refund_id = ? FOR UPDATE").param(refundId)
                .query(PaymentSessions::map).optional();
    }

    public Optional<PaymentSession> lockByPaymentIntent(String paymentIntentId) {
        return jdbc.sql("SELECT * FROM payment_session WHERE payment_intent_id = ? FOR UPDATE").param(paymentIntentId)
                .query(PaymentSessions::map).optional();
    }

    /** Sessions still OPEN or PROCESSING here although Stripe should have settled them by {@code before}. */
    public List<PaymentSession> unsettledBefore(Instant before, int limit) {
        return jdbc.sql("""
                SELECT * FROM payment_session WHERE status IN ('OPEN', 'PROCESSING') AND expires_at < ?
                ORDER BY last_reconciled_at NULLS FIRST, expires_at LIMIT ?""").params(Timestamp.from(before), limit)
                .query(PaymentSessions::map).list();
    }

    /** Refunds still PENDING here since before {@code before}: reconciliation asks Stripe how they ended. */
    public List<PaymentSession> pendingRefundsBefore(Instant before, int limit) {
        return jdbc.sql("""
                SELECT * FROM payment_session WHERE refund_status = 'PENDING' AND updated_at < ?
                ORDER BY last_reconciled_at NULLS FIRST, updated_at LIMIT ?""").params(Timestamp.from(before), limit)
                .query(PaymentSessions::map).list();
    }

    public void markReconciled(UUID bookingId, Instant at) {
        jdbc.sql("UPDATE payment_session SET last_reconciled_at = ? WHERE booking_id = ?").params(Timestamp.from(at), bookingId).update();
    }

    public void insert(UUID bookingId, String sessionId, long amountMinor, String currency, String customerEmail,
            @Nullable String customerName, String checkoutUrl, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO payment_session (booking_id, session_id, status, amount_minor, currency, customer_email,
                                             customer_name, checkout_url, expires_at, correlation_id)
                VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?)""")
                .params(bookingId, sessionId, amountMinor, currency, customerEmail, customerName, checkoutUrl,
                        Timestamp.from(expiresAt), CorrelationScope.currentCorrelationId())
                .update();
    }

    /** The correlation id of the saga that opened the booking's session, if it was recorded. */
    public Optional<String> correlationIdOf(UUID bookingId) {
        return jdbc.sql("SELECT correlation_id FROM payment_session WHERE booking_id = ? AND correlation_id IS NOT NULL")
                .param(bookingId).query(String.class).optional();
    }

    public void markCompleted(UUID bookingId, String paymentIntentId) {
        jdbc.sql("UPDATE payment_session SET status = 'COMPLETED', payment_intent_id = ?, updated_at = now() WHERE booking_id = ?")
                .params(paymentIntentId, bookingId).update();
    }

    public void mark(UUID bookingId, PaymentSession.Status status) {
        jdbc.sql("UPDATE payment_session SET status = ?, updated_at = now() WHERE booking_id = ?")
                .params(status.name(), bookingId).update();
    }

    public void recordDecline(UUID bookingId, String reason) {
        jdbc.sql("""
                UPDATE payment_session SET declined_attempts = declined_attempts + 1, last_decline_reason = ?, updated_at = now()
                WHERE booking_id = ?""").params(reason, bookingId).update();
    }

    public void recordRefund(UUID bookingId, String refundId, long amountMinor, String reason, PaymentSession.RefundStatus status,
            @Nullable String failure) {
        jdbc.sql("""
                UPDATE payment_session SET refund_id = ?, refund_amount_minor = ?, refund_reason = ?, refund_status = ?,
                       refund_failure = ?, refunded_at = CASE WHEN ? = 'SUCCEEDED' THEN now() END, updated_at = now()
                WHERE booking_id = ?""")
                .params(refundId, amountMinor, reason, status.name(), failure, status.name(), bookingId).update();
    }

    /** Takes a refund Stripe announced before the refund call's answer was recorded; PENDING until it settles. */
    public void adoptRefund(UUID bookingId, String refundId, long amountMinor) {
        jdbc.sql("""
                UPDATE payment_session SET refund_id = ?, refund_amount_minor = ?, refund_status = 'PENDING', refund_failure = NULL,
                       updated_at = now() WHERE booking_id = ?""").params(refundId, amountMinor, bookingId).update();
    }

    public void keepRefundReason(UUID bookingId, String reason) {
        jdbc.sql("UPDATE payment_session SET refund_reason = coalesce(refund_reason, ?) WHERE booking_id = ?")
                .params(reason, bookingId).update();
    }

    public void settleRefund(UUID bookingId, PaymentSession.RefundStatus status, @Nullable String failure) {
        jdbc.sql("""
                UPDATE payment_session SET refund_status = ?, refund_failure = ?,
                       refunded_at = CASE WHEN ? = 'SUCCEEDED' THEN now() ELSE refunded_at END,
                       failed_refund_ids = CASE WHEN ? = 'FAILED' AND refund_id IS NOT NULL AND NOT refund_id = ANY (failed_refund_ids)
                                                THEN array_append(failed_refund_ids, refund_id) ELSE failed_refund_ids END,
                       updated_at = now()
                WHERE booking_id = ?""").params(status.name(), failure, status.name(), status.name(), bookingId).update();
    }

    public void markDisputed(UUID bookingId, Instant at) {
        jdbc.sql("UPDATE payment_session SET disputed_at = coalesce(disputed_at, ?), updated_at = now() WHERE booking_id = ?")
                .params(Timestamp.from(at), bookingId).update();
    }

    private static PaymentSession map(ResultSet rs, int row) throws SQLException {
        String refundStatus = rs.getString("refund_status");
        Timestamp disputed = rs.getTimestamp("disputed_at");
        return new PaymentSession(rs.getObject("booking_id", UUID.class), rs.getString("session_id"),
                PaymentSession.Status.valueOf(rs.getString("status")), rs.getLong("amount_minor"), rs.getString("currency"),
                rs.getString("customer_email"), rs.getString("customer_name"), rs.getString("payment_intent_id"),
                rs.getString("refund_id"), refundStatus == null ? null : PaymentSession.RefundStatus.valueOf(refundStatus),
                rs.getObject("refund_amount_minor", Long.class), rs.getString("refund_reason"), rs.getInt("declined_attempts"),
                disputed == null ? null : disputed.toInstant(), rs.getTimestamp("expires_at").toInstant(),
                List.of((String[]) rs.getArray("failed_refund_ids").getArray()));
    }
}
