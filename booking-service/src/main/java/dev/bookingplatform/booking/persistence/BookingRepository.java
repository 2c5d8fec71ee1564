package dev.bookingplatform.booking.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.bookingplatform.booking.catalog.KnownResources;
import dev.bookingplatform.booking.saga.BookingStatus;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Bookings in booking-service's database. Saga updates run under {@link #lock}'s row lock. */
@Repository
public class BookingRepository {

    private static final TypeReference<List<BookedLineItem>> LINE_ITEMS = new TypeReference<>() { };

    private static final TypeReference<List<BookedAddOn>> ADD_ONS = new TypeReference<>() { };

    private final JdbcClient jdbc;

    private final JsonMapper json;

    private final Clock clock;

    BookingRepository(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public void insert(Booking booking) {
        jdbc.sql("""
                INSERT INTO booking (id, status, customer_email, customer_name, customer_locale, resource_id, slot_start,
                                     slot_end, quantity, add_ons, created_at, updated_at, status_changed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")
                .params(booking.id(), booking.status().name(), booking.customerEmail(), booking.customerName(),
                        booking.customerLocale(), booking.resourceId(), ts(booking.slotStart()), ts(booking.slotEnd()),
                        booking.quantity(), json.writeValueAsString(booking.addOns()), ts(booking.createdAt()),
                        ts(booking.updatedAt()), ts(booking.statusChangedAt()))
                .update();
    }

    public Optional<Booking> find(UUID id) {
        return jdbc.sql("SELECT * FROM booking WHERE id = ?").param(id).query(this::map).optional();
    }

    /** The booking, locked until the transaction ends, so saga steps and API calls on it take turns. */
    public Optional<Booking> lock(UUID id) {
        return jdbc.sql("SELECT * FROM booking WHERE id = ? FOR UPDATE").param(id).query(this::map).optional();
    }

    /**
     * A page of bookings, newest first. {@code owner} set: only that subject's bookings (a customer's token);
     * unset: everyone's (an admin token), optionally by e-mail address in any case.
     */
    public List<Booking> search(@Nullable String owner, @Nullable String email, @Nullable BookingStatus status, int page,
            int size) {
        return jdbc.sql("""
                SELECT * FROM booking
                WHERE (CAST(:owner AS text) IS NULL OR owner_subject = :owner)
                  AND (CAST(:email AS text) IS NULL OR lower(customer_email) = lower(:email))
                  AND (CAST(:status AS text) IS NULL OR status = :status)
                ORDER BY created_at DESC, id LIMIT :size OFFSET :offset""")
                .param("owner", owner).param("email", email).param("status", status == null ? null : status.name())
                .param("size", size).param("offset", (long) page * size)
                .query(this::map).list();
    }

    public long count(@Nullable String owner, @Nullable String email, @Nullable BookingStatus status) {
        return jdbc.sql("""
                SELECT count(*) FROM booking
                WHERE (CAST(:owner AS text) IS NULL OR owner_subject = :owner)
                  AND (CAST(:email AS text) IS NULL OR lower(customer_email) = lower(:email))
                  AND (CAST(:status AS text) IS NULL OR status = :status)""")
                .param("owner", owner).param("email", email).param("status", status == null ? null : status.name())
                .query(Long.class).single();
    }

    /** The subject of the token that created the booking, recorded in its creating transaction. */
    public void recordOwner(UUID id, String subject) {
        jdbc.sql("UPDATE booking SET owner_subject = ? WHERE id = ?").params(subject, id).update();
    }

    /** Whether {@code subject} owns the booking; a booking of nobody (before owners were kept) is nobody's. */
    public boolean isOwnedBy(UUID id, String subject) {
        return jdbc.sql("SELECT count(*) FROM booking WHERE id = ? AND owner_subject = ?").params(id, subject)
                .query(Long.class).single() > 0;
    }

    public void moveTo(UUID id, BookingStatus status, @Nullable String reasonCode, @Nullable String reason) {
        jdbc.sql("""
                UPDATE booking SET status = ?, reason_code = coalesce(?, reason_code), reason = coalesce(?, reason),
                       status_changed_at = ?, flagged_at = NULL, flag_reason = NULL, updated_at = now() WHERE id = ?""")
                .params(status.name(), reasonCode, reason, ts(clock.instant()), id).update();
    }

    /**
     * Bookings in {@code status} since before {@code enteredBefore}, locked with SKIP LOCKED so replicas
     * running the deadline job never take the same one; {@code unflaggedOnly} skips those ops already know of.
     */
    public List<UUID> lockOverdue(BookingStatus status, Instant enteredBefore, boolean unflaggedOnly, int limit) {
        return jdbc.sql("""
                SELECT id FROM booking WHERE status = ? AND status_changed_at <= ? AND (NOT ? OR flagged_at IS NULL)
                ORDER BY status_changed_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(status.name(), ts(enteredBefore), unflaggedOnly, limit).query(UUID.class).list();
    }

    /** Bookings ops must look at: a refused refund (in any state), a step flagged overdue, a dispute. */
    public List<Booking> needingOps(int limit) {
        return jdbc.sql("""
                SELECT * FROM booking WHERE status = 'REFUND_FAILED' OR refund_failed_at IS NOT NULL OR flagged_at IS NOT NULL
                   OR disputed_at IS NOT NULL
                ORDER BY updated_at DESC LIMIT ?""").param(limit).query(this::map).list();
    }

    public void recordDecline(UUID id, String reason) {
        jdbc.sql("""
                UPDATE booking SET declined_attempts = declined_attempts + 1, last_decline_reason = ?, updated_at = now()
                WHERE id = ?""").params(reason, id).update();
    }

    public void recordProcessing(UUID id, Instant since) {
        jdbc.sql("UPDATE booking SET payment_processing_at = coalesce(payment_processing_at, ?), updated_at = now() WHERE id = ?")
                .params(ts(since), id).update();
    }

    public void recordRefundRequested(UUID id, long amountMinor, int attempt) {
        jdbc.sql("""
                UPDATE booking SET refund_requested_at = now(), refund_amount_minor = ?, refund_attempt = ?,
                       refund_failed_at = NULL, refund_failure = NULL, updated_at = now() WHERE id = ?""")
                .params(amountMinor, attempt, id).update();
    }

    public void recordRefundFailure(UUID id, String failure, Instant at) {
        jdbc.sql("UPDATE booking SET refund_failed_at = ?, refund_failure = ?, updated_at = now() WHERE id = ?")
                .params(ts(at), failure, id).update();
    }

    public void recordDispute(UUID id, String reason, Instant at) {
        jdbc.sql("UPDATE booking SET disputed_at = coalesce(disputed_at, ?), dispute_reason = ?, updated_at = now() WHERE id = ?")
                .params(ts(at), reason, id).update();
    }

    public void flag(UUID id, String reason, Instant at) {
        jdbc.sql("UPDATE booking SET flagged_at = ?, flag_reason = ?, updated_at = now() WHERE id = ?")
                .params(ts(at), reason, id).update();
    }

    public void recordReservation(UUID id, List<BookedLineItem> lineItems, long totalMinor, String currency,
            Instant holdExpiresAt) {
        jdbc.sql("""
                UPDATE booking SET line_items = ?::jsonb, total_minor = ?, currency = ?, hold_expires_at = ?,
                       updated_at = now() WHERE id = ?""")
                .params(json.writeValueAsString(lineItems), totalMinor, currency, ts(holdExpiresAt), id).update();
    }

    public void recordCheckout(UUID id, String sessionId, String checkoutUrl) {
        jdbc.sql("UPDATE booking SET payment_session_id = ?, checkout_url = ?, updated_at = now() WHERE id = ?")
                .params(sessionId, checkoutUrl, id).update();
    }

    public void recordPayment(UUID id, String paymentIntentId) {
        jdbc.sql("UPDATE booking SET payment_intent_id = ?, updated_at = now() WHERE id = ?")
                .params(paymentIntentId, id).update();
    }

    public void recordCancellationRequested(UUID id) {
        jdbc.sql("UPDATE booking SET cancellation_requested_at = now(), updated_at = now() WHERE id = ?").param(id).update();
    }

    public void recordRefund(UUID id, String refundId) {
        jdbc.sql("UPDATE booking SET refund_id = ?, updated_at = now() WHERE id = ?").params(refundId, id).update();
    }

    /** Appends to the saga's audit trail: every change, and every change refused. */
    public void logTransition(UUID id, @Nullable BookingStatus from, BookingStatus to, String trigger, boolean accepted) {
        jdbc.sql("INSERT INTO booking_transition (booking_id, from_status, to_status, trigger, accepted) VALUES (?, ?, ?, ?, ?)")
                .params(id, from == null ? null : from.name(), to.name(), trigger, accepted).update();
    }

    private Booking map(ResultSet rs, int row) throws SQLException {
        String lineItems = rs.getString("line_items");
        return new Booking(rs.getObject("id", UUID.class), BookingStatus.valueOf(rs.getString("status")),
                rs.getString("customer_email"), rs.getString("customer_name"), rs.getString("customer_locale"),
                rs.getString("resource_id"), instant(rs, "slot_start"), instant(rs, "slot_end"), rs.getInt("quantity"),
                json.readValue(rs.getString("add_ons"), ADD_ONS),
                lineItems == null ? List.of() : json.readValue(lineItems, LINE_ITEMS),
                rs.getObject("total_minor", Long.class), rs.getString("currency"), instant(rs, "hold_expires_at"),
                rs.getString("payment_session_id"), rs.getString("checkout_url"), rs.getString("payment_intent_id"),
                instant(rs, "cancellation_requested_at"), instant(rs, "refund_requested_at"), rs.getString("refund_id"),
                rs.getString("reason_code"), rs.getString("reason"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "status_changed_at"), new Booking.Settlement(rs.getInt("declined_attempts"),
                        rs.getString("last_decline_reason"), instant(rs, "payment_processing_at"),
                        rs.getObject("refund_amount_minor", Long.class), rs.getInt("refund_attempt"), instant(rs, "refund_failed_at"),
                        rs.getString("refund_failure"), instant(rs, "disputed_at"), rs.getString("dispute_reason"),
                        instant(rs, "flagged_at"), rs.getString("flag_reason")), agreedTerms(rs));
    }

    private static KnownResources.@Nullable CancellationTerms agreedTerms(ResultSet rs) throws SQLException {
        Long cutoff = rs.getObject("cancellation_free_cutoff_seconds", Long.class);
        return cutoff == null ? null : new KnownResources.CancellationTerms(java.time.Duration.ofSeconds(cutoff),
                rs.getObject("cancellation_late_refund_percent", Integer.class));
    }

    /** Keeps the terms the customer agreed to when booking. */
    public void recordAgreedTerms(UUID id, KnownResources.CancellationTerms terms) {
        jdbc.sql("UPDATE booking SET cancellation_free_cutoff_seconds = ?, cancellation_late_refund_percent = ? WHERE id = ?")
                .params(terms.freeCutoff().toSeconds(), terms.lateRefundPercent(), id).update();
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable Timestamp ts(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
