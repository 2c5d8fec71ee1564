package dev.bookingplatform.payment.intent;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.bookingplatform.eventing.correlation.CorrelationScope;
import dev.bookingplatform.eventing.tracing.TraceContext;
import dev.bookingplatform.payment.support.ErrorText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code stripe_intent} table: recorded in the transaction that decided the call, claimed by the
 * worker pool after it commits, finished with the outcome in the worker's own transaction.
 */
@Repository
public class StripeIntents {

    private final JdbcClient jdbc;

    private final JsonMapper json;

    private final Clock clock;

    private volatile @Nullable Runnable onRecorded;

    StripeIntents(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Records an intent in the caller's transaction (with its correlation, so the outcome's event carries it);
     * the workers are woken when that transaction commits. A second intent with the same idempotency key
     * for the booking is the same intent and is not recorded again.
     */
    public void record(UUID bookingId, IntentKind kind, String idempotencyKey, Object payload) {
        jdbc.sql("""
                INSERT INTO stripe_intent (id, booking_id, kind, idempotency_key, payload, status, next_attempt_at,
                                           correlation_id, causation_id, traceparent)
                VALUES (?, ?, ?, ?, ?::jsonb, 'PENDING', ?, ?, ?, ?)
                ON CONFLICT (booking_id, idempotency_key) DO NOTHING""")
                .params(UUID.randomUUID(), bookingId, kind.name(), idempotencyKey, json.writeValueAsString(payload),
                        Timestamp.from(clock.instant()), CorrelationScope.currentCorrelationId(),
                        CorrelationScope.currentCausationId(), TraceContext.currentTraceparent())
                .update();
        Runnable wake = onRecorded;
        if (wake != null && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake.run();
                }
            });
        }
    }

    void onRecorded(Runnable wake) {
        this.onRecorded = wake;
    }

    /**
     * Claims up to {@code limit} due intents for {@code lease}, each the oldest pending one of its booking, so
     * one booking's intents never run side by side or out of order. Runs in its own short transaction;
     * SKIP LOCKED lets every worker of every replica claim at once without waiting on each other.
     */
    List<StripeIntent> claim(int limit, Duration lease) {
        Instant now = clock.instant();
        return jdbc.sql("""
                UPDATE stripe_intent SET claim_token = gen_random_uuid(), claimed_until = ?, attempts = attempts + 1
                WHERE seq IN (
                    SELECT i.seq FROM stripe_intent i
                    WHERE i.status = 'PENDING' AND i.next_attempt_at <= ? AND (i.claimed_until IS NULL OR i.claimed_until < ?)
                      AND NOT EXISTS (SELECT 1 FROM stripe_intent e
                                      WHERE e.booking_id = i.booking_id AND e.status = 'PENDING' AND e.seq < i.seq)
                    ORDER BY i.next_attempt_at, i.seq LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING *""")
                .params(Timestamp.from(now.plus(lease)), Timestamp.from(now), Timestamp.from(now), limit)
                .query(this::map).list();
    }

    /**
     * Locks the intent for recording its outcome; empty if the claim is no longer this worker's (its lease ran
     * out and another worker claimed it, or finished it): that worker's outcome counts, as Stripe answered
     * both calls alike.
     */
    Optional<StripeIntent> lockClaimed(StripeIntent claimed) {
        return jdbc.sql("SELECT * FROM stripe_intent WHERE seq = ? AND claim_token = ? AND status = 'PENDING' FOR UPDATE")
                .params(claimed.seq(), claimed.claimToken()).query(this::map).optional();
    }

    void finish(StripeIntent intent, String status, String outcome) {
        jdbc.sql("""
                UPDATE stripe_intent SET status = ?, outcome = ?, finished_at = ?, claim_token = NULL, claimed_until = NULL
                WHERE seq = ?""").params(status, ErrorText.kept(outcome), Timestamp.from(clock.instant()), intent.seq()).update();
    }

    void retryLater(StripeIntent intent, Duration wait, String error) {
        jdbc.sql("""
                UPDATE stripe_intent SET next_attempt_at = ?, last_error = ?, claim_token = NULL, claimed_until = NULL
                WHERE seq = ? AND claim_token = ? AND status = 'PENDING'""")
                .params(Timestamp.from(clock.instant().plus(wait)), ErrorText.kept(error), intent.seq(), intent.claimToken()).update();
    }

    /**
     * Gives up on an intent whose outcome could not be recorded time after time (a defect, not an outage: an
     * outage fails the claim too): FAILED with the error, for ops, so the booking's later intents can run.
     */
    /** Counts one more attempt whose outcome could not be recorded; returns how many so far. */
    int countUnrecorded(StripeIntent intent) {
        return jdbc.sql("UPDATE stripe_intent SET unrecorded = unrecorded + 1 WHERE seq = ? RETURNING unrecorded")
                .param(intent.seq()).query(Integer.class).single();
    }

    void abandon(StripeIntent intent, String error) {
        jdbc.sql("""
                UPDATE stripe_intent SET status = 'FAILED', outcome = ?, finished_at = ?, claim_token = NULL, claimed_until = NULL
                WHERE seq = ? AND claim_token = ? AND status = 'PENDING'""")
                .params(ErrorText.kept("abandoned: " + error), Timestamp.from(clock.instant()), intent.seq(), intent.claimToken()).update();
    }

    private StripeIntent map(ResultSet rs, int row) throws SQLException {
        JsonNode payload = json.readTree(rs.getString("payload"));
        return new StripeIntent(rs.getLong("seq"), rs.getObject("id", UUID.class), rs.getObject("booking_id", UUID.class),
                IntentKind.valueOf(rs.getString("kind")), rs.getString("idempotency_key"), payload, rs.getInt("attempts"),
                rs.getObject("claim_token", UUID.class), rs.getString("correlation_id"), rs.getObject("causation_id", UUID.class),
                rs.getString("traceparent"));
    }

}
