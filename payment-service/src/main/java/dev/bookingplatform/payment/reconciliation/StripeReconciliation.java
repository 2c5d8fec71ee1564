package dev.bookingplatform.payment.reconciliation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.bookingplatform.payment.StripeProperties;
import dev.bookingplatform.payment.gateway.PaymentGateway;
import dev.bookingplatform.payment.gateway.StripeCallFailed;
import dev.bookingplatform.payment.session.PaymentSession;
import dev.bookingplatform.payment.session.PaymentSessions;
import dev.bookingplatform.payment.webhook.MalformedWebhookException;
import dev.bookingplatform.payment.webhook.WebhookOutcome;
import dev.bookingplatform.payment.webhook.WebhookProcessor;

/**
 * Reads Stripe's truth and feeds what payment-service has not recorded through the webhook's own idempotent
 * path, so a lost webhook, or an outage longer than Stripe's retries, never leaves a paid booking unconfirmed.
 * Stripe's {@code GET /v1/events} lists newest first, keeps 30 days and has 1-second {@code created}: each
 * run pages from a checkpoint minus an overlap, skips event ids already settled, and moves the checkpoint to
 * the newest {@code created} seen. Sessions still open here after Stripe must have settled them (past
 * {@code expires_at} plus a grace) are looked up one by one. One replica at a time, by {@link JobLease}.
 */
@Component
class StripeReconciliation {

    private static final Logger log = LoggerFactory.getLogger(StripeReconciliation.class);

    static final String JOB = "stripe-reconciliation";

    /** The event types the saga uses; anything else in the list is left alone. */
    static final Set<String> HANDLED = WebhookProcessor.HANDLED_TYPES;

    private final PaymentGateway gateway;

    private final WebhookProcessor processor;

    private final PaymentSessions sessions;

    private final JobLease lease;

    private final JdbcClient jdbc;

    private final StripeProperties properties;

    private final MeterRegistry meters;

    private final Clock clock;

    StripeReconciliation(PaymentGateway gateway, WebhookProcessor processor, PaymentSessions sessions, JobLease lease,
            JdbcClient jdbc, StripeProperties properties, MeterRegistry meters, Clock clock) {
        this.gateway = gateway;
        this.processor = processor;
        this.sessions = sessions;
        this.lease = lease;
        this.jdbc = jdbc;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${bookingplatform.stripe.reconciliation.interval:60s}",
            initialDelayString = "${bookingplatform.stripe.reconciliation.interval:60s}")
    void scheduled() {
        if (properties.reconciliation().enabled()) {
            run();
        }
    }

    /** One run; returns how many events or sessions it applied, or -1 if another replica holds the job. */
    int run() {
        Duration leaseLength = properties.reconciliation().interval().multipliedBy(2).plusMinutes(1);
        if (!lease.acquire(JOB, leaseLength)) {
            return -1;
        }
        try {
            int applied = replayEvents() + lookUpUnsettledSessions() + lookUpPendingRefunds();
            if (applied > 0) {
                log.warn("Reconciliation applied {} Stripe outcomes that had not arrived by webhook", applied);
            }
            return applied;
        }
        catch (StripeCallFailed unreachable) {
            log.warn("Reconciliation could not read Stripe; next run in {}: {}", properties.reconciliation().interval(),
                    unreachable.getMessage());
            return 0;
        }
        finally {
            lease.release(JOB);
        }
    }

    private int replayEvents() {
        Instant now = clock.instant();
        long checkpoint = jdbc.sql("SELECT created_upto FROM reconciliation_checkpoint WHERE name = ?").param(JOB)
                .query(Long.class).optional()
                .orElse(now.minus(properties.reconciliation().initialLookback()).getEpochSecond());
        long from = Math.max(checkpoint - properties.reconciliation().overlap().toSeconds(),
                now.minus(Duration.ofDays(30)).getEpochSecond());
        long newest = checkpoint;
        int seen = 0;
        int applied = 0;
        @Nullable String after = null;
        boolean more = true;
        while (more) {
            PaymentGateway.EventPage page = gateway.listEvents(from, after, properties.reconciliation().pageSize());
            for (Event event : page.events()) {
                seen++;
                newest = Math.max(newest, event.getCreated() == null ? 0 : event.getCreated());
                after = event.getId();
                if (HANDLED.contains(event.getType()) && !processor.known(event.getId())) {
                    applied += apply(event);
                }
            }
            more = page.hasMore() && !page.events().isEmpty();
        }
        jdbc.sql("""
                INSERT INTO reconciliation_checkpoint (name, created_upto, events_seen, events_applied) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET created_upto = greatest(reconciliation_checkpoint.created_upto, excluded.created_upto),
                    events_seen = reconciliation_checkpoint.events_seen + excluded.events_seen,
                    events_applied = reconciliation_checkpoint.events_applied + excluded.events_applied, updated_at = now()""")
                .params(JOB, newest, seen, applied).update();
        return applied;
    }

    /**
     * One event. One that cannot be applied here (no session of ours) is recorded FAILED by the processor and
     * skipped; anything else (the database away) stops the run, and the checkpoint stays, so nothing is skipped.
     */
    private int apply(Event event) {
        try {
            WebhookOutcome outcome = processor.process(event);
            meters.counter("payment.reconciliation.applied", "type", event.getType(), "outcome", outcome.name()).increment();
            return outcome instanceof WebhookOutcome.Processed ? 1 : 0;
        }
        catch (MalformedWebhookException unusable) {
            meters.counter("payment.reconciliation.applied", "type", event.getType(), "outcome", "FAILED").increment();
            log.warn("Reconciliation could not apply Stripe event {} ({}); recorded FAILED: {}", event.getId(), event.getType(),
                    unusable.getMessage());
            return 0;
        }
    }

    private int lookUpPendingRefunds() {
        int applied = 0;
        Instant before = clock.instant().minus(properties.reconciliation().sessionGrace());
        for (PaymentSession pending : sessions.pendingRefundsBefore(before, 100)) {
            sessions.markReconciled(pending.bookingId(), clock.instant());
            try {
                WebhookOutcome outcome = processor.processRefundTruth(gateway.retrieveRefund(pending.refundId()));
                applied += outcome instanceof WebhookOutcome.Processed ? 1 : 0;
            }
            catch (StripeCallFailed failed) {
                if (failed.isTransient()) {
                    throw failed;
                }
                log.warn("Reconciliation cannot look up refund {} of booking {}: {}", pending.refundId(), pending.bookingId(),
                        failed.getMessage());
            }
            catch (MalformedWebhookException unusable) {
                log.warn("Reconciliation could not apply refund {} of booking {}: {}", pending.refundId(), pending.bookingId(),
                        unusable.getMessage());
            }
        }
        return applied;
    }

    private int lookUpUnsettledSessions() {
        int applied = 0;
        Instant before = clock.instant().minus(properties.reconciliation().sessionGrace());
        for (PaymentSession unsettled : sessions.unsettledBefore(before, 100)) {
            sessions.markReconciled(unsettled.bookingId(), clock.instant());
            Session truth;
            try {
                truth = gateway.retrieveCheckoutSession(unsettled.sessionId());
            }
            catch (StripeCallFailed failed) {
                if (failed.isTransient()) {
                    throw failed;
                }
                // e.g. a session Stripe does not know (another account, a simulator restarted empty): for ops, not a stop.
                log.warn("Reconciliation cannot look up session {} of booking {}: {}", unsettled.sessionId(), unsettled.bookingId(),
                        failed.getMessage());
                continue;
            }
            try {
                WebhookOutcome outcome = processor.processSessionTruth(truth);
                meters.counter("payment.reconciliation.sessions", "status", String.valueOf(truth.getStatus()), "outcome", outcome.name())
                        .increment();
                applied += outcome instanceof WebhookOutcome.Processed ? 1 : 0;
            }
            catch (MalformedWebhookException unusable) {
                log.warn("Reconciliation could not apply session {} of booking {}: {}", unsettled.sessionId(), unsettled.bookingId(),
                        unusable.getMessage());
            }
        }
        return applied;
    }
}
