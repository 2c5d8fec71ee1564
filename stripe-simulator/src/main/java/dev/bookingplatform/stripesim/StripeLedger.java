package dev.bookingplatform.stripesim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import com.google.gson.JsonObject;


/**
 * The simulator's Stripe account: sessions and refunds, with the rules of Stripe that matter to the saga.
 * A session's {@code expires_at} must be 30 minutes to 24 hours ahead and its total at least the currency's
 * minimum; only an open session can be paid or expired; a declined card leaves it open; a delayed method
 * completes it {@code unpaid} and settles later; a refund needs a paid payment intent, cannot exceed what was
 * paid, and may be pending and fail later. Every change Stripe announces by webhook goes to the event sink,
 * which also keeps it for {@code GET /v1/events}.
 */
final class StripeLedger {

    static final Duration MIN_SESSION = Duration.ofMinutes(30);

    static final Duration MAX_SESSION = Duration.ofHours(24);

    /** Stripe's minimum charge amounts in minor units, for the currencies we use (others: 50). */
    private static final Map<String, Long> MINIMUM_AMOUNT = Map.of("usd", 50L, "eur", 50L, "gbp", 30L, "chf", 50L, "cad", 50L,
            "aud", 50L, "jpy", 50L, "sek", 300L, "dkk", 250L, "nok", 300L);

    /** What a new refund does: succeed at once, stay pending until {@link #settleRefund}, or be refused. */
    enum RefundMode {
        SUCCEED, PENDING, REFUSE
    }

    private final Map<String, CheckoutSession> sessions = new LinkedHashMap<>();

    private final Map<String, Refund> refunds = new LinkedHashMap<>();

    private final String checkoutBaseUrl;

    private final Clock clock;

    private final Consumer<JsonObject> events;

    private final StripeJournal journal;

    private RefundMode refundMode = RefundMode.SUCCEED;

    StripeLedger(String checkoutBaseUrl, Clock clock, Consumer<JsonObject> events, StripeJournal journal) {
        this.checkoutBaseUrl = checkoutBaseUrl;
        this.clock = clock;
        this.events = events;
        this.journal = journal;
    }

    /** A session's state as the journal kept it, before the simulator serves its first request. */
    synchronized void restore(CheckoutSession session) {
        sessions.put(session.id(), session);
    }

    synchronized void restore(Refund refund) {
        refunds.put(refund.id(), refund);
    }

    private void keep(CheckoutSession session) {
        sessions.put(session.id(), session);
        journal.session(session);
    }

    private void keep(Refund refund) {
        refunds.put(refund.id(), refund);
        journal.refund(refund);
    }

    synchronized CheckoutSession create(FormBody form) {
        if (!"payment".equals(form.get("mode"))) {
            throw new StripeError(400, "parameter_invalid", "Only mode=payment is simulated.");
        }
        long total = 0;
        String currency = null;
        for (int i = 0; form.get("line_items[" + i + "][quantity]") != null; i++) {
            String prefix = "line_items[" + i + "]";
            long quantity = form.requireLong(prefix + "[quantity]");
            long unitAmount = form.requireLong(prefix + "[price_data][unit_amount]");
            currency = form.require(prefix + "[price_data][currency]").toLowerCase(Locale.ROOT);
            total += quantity * unitAmount;
        }
        if (currency == null) {
            throw new StripeError(400, "parameter_missing", "Missing required param: line_items.");
        }
        long minimum = MINIMUM_AMOUNT.getOrDefault(currency, 50L);
        if (total < minimum) {
            throw new StripeError(400, "amount_too_small", "The Checkout Session's total amount due must add up to at least "
                    + minimum + " " + currency + " in minor units.");
        }
        Instant now = clock.instant();
        String expiresAt = form.get("expires_at");
        Instant expiry = expiresAt != null ? Instant.ofEpochSecond(Long.parseLong(expiresAt)) : now.plus(MAX_SESSION);
        if (expiry.isBefore(now.plus(MIN_SESSION))) {
            throw new StripeError(400, "parameter_invalid_integer",
                    "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.");
        }
        if (expiry.isAfter(now.plus(MAX_SESSION))) {
            throw new StripeError(400, "parameter_invalid_integer",
                    "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.");
        }
        String id = "cs_test_" + random();
        CheckoutSession session = new CheckoutSession(id, "open", "unpaid", total, currency, form.get("customer_email"),
                form.get("client_reference_id"), form.map("metadata"), form.map("payment_intent_data[metadata]"), null,
                expiry, form.get("success_url"), form.get("cancel_url"), checkoutBaseUrl + "/checkout/" + id);
        keep(session);
        return session;
    }

    synchronized CheckoutSession get(String id) {
        CheckoutSession session = sessions.get(id);
        if (session == null) {
            throw new StripeError(404, "resource_missing", "No such checkout.session: '" + id + "'");
        }
        return session;
    }

    synchronized CheckoutSession expire(String id) {
        CheckoutSession session = requireOpen(id, "expire");
        CheckoutSession expired = session.withStatus("expired", "unpaid", null);
        keep(expired);
        announce("checkout.session.expired", StripeJson.session(expired));
        return expired;
    }

    synchronized CheckoutSession pay(String id) {
        CheckoutSession session = requireOpen(id, "pay");
        CheckoutSession paid = session.withStatus("complete", "paid", "pi_" + random());
        keep(paid);
        announce("checkout.session.completed", StripeJson.session(paid));
        return paid;
    }

    /** A delayed method (a bank debit): checkout completes {@code unpaid}; {@link #settleAsync} decides later. */
    synchronized CheckoutSession payAsync(String id) {
        CheckoutSession session = requireOpen(id, "pay");
        CheckoutSession processing = session.withStatus("complete", "unpaid", "pi_" + random());
        keep(processing);
        announce("checkout.session.completed", StripeJson.session(processing));
        return processing;
    }

    synchronized CheckoutSession settleAsync(String id, boolean succeeded) {
        CheckoutSession session = get(id);
        if (!"complete".equals(session.status()) || !"unpaid".equals(session.paymentStatus())) {
            throw new StripeError(400, "payment_intent_unexpected_state", "Session " + id + " has no delayed payment in progress.");
        }
        CheckoutSession settled = session.withStatus("complete", succeeded ? "paid" : "unpaid", session.paymentIntent());
        keep(settled);
        announce(succeeded ? "checkout.session.async_payment_succeeded" : "checkout.session.async_payment_failed",
                StripeJson.session(settled));
        return settled;
    }

    /** A declined card: Stripe keeps the session open (the customer may try again) and reports the failed intent. */
    synchronized CheckoutSession decline(String id) {
        CheckoutSession session = requireOpen(id, "decline");
        announce("payment_intent.payment_failed", StripeJson.failedPaymentIntent("pi_" + random(), session, "Your card was declined."));
        return session;
    }

    synchronized Refund refund(FormBody form) {
        String paymentIntent = form.require("payment_intent");
        CheckoutSession paid = sessions.values().stream()
                .filter(s -> paymentIntent.equals(s.paymentIntent()) && "paid".equals(s.paymentStatus())).findFirst()
                .orElseThrow(() -> new StripeError(404, "resource_missing", "No such payment_intent: '" + paymentIntent + "'"));
        long alreadyRefunded = refunds.values().stream()
                .filter(r -> r.paymentIntent().equals(paymentIntent) && !"failed".equals(r.status()))
                .mapToLong(Refund::amount).sum();
        long amount = form.get("amount") != null ? form.requireLong("amount") : paid.amountTotal() - alreadyRefunded;
        if (amount <= 0 || alreadyRefunded + amount > paid.amountTotal()) {
            throw new StripeError(400, "charge_already_refunded", "Charge for " + paymentIntent + " has already been refunded.");
        }
        if (refundMode == RefundMode.REFUSE) {
            throw new StripeError(400, "charge_disputed", "Charge for " + paymentIntent + " has been charged back; it cannot be refunded.");
        }
        Refund refund = new Refund("re_" + random(), paymentIntent, amount, paid.currency(),
                refundMode == RefundMode.PENDING ? "pending" : "succeeded", null, form.map("metadata"));
        keep(refund);
        announce("refund.created", StripeJson.refund(refund));
        if ("succeeded".equals(refund.status())) {
            announce("charge.refunded", StripeJson.charge(paid, alreadyRefunded + amount));
        }
        return refund;
    }

    /**
     * A refund settles: a pending one succeeds or fails; one that had succeeded can still fail later (the card
     * was closed), as Stripe reports with {@code refund.failed}.
     */
    synchronized Refund settleRefund(String refundId, boolean succeeded) {
        Refund refund = refunds.get(refundId);
        if (refund == null || !("pending".equals(refund.status()) || !succeeded && "succeeded".equals(refund.status()))) {
            throw new IllegalStateException("No refund " + refundId + " that could become " + (succeeded ? "succeeded" : "failed"));
        }
        Refund settled = refund.withStatus(succeeded ? "succeeded" : "failed", succeeded ? null : "expired_or_canceled_card");
        keep(settled);
        announce("refund.updated", StripeJson.refund(settled));
        if (succeeded) {
            CheckoutSession paid = sessions.values().stream().filter(s -> refund.paymentIntent().equals(s.paymentIntent())).findFirst()
                    .orElseThrow();
            long refunded = refunds.values().stream().filter(r -> r.paymentIntent().equals(refund.paymentIntent())
                    && "succeeded".equals(r.status())).mapToLong(Refund::amount).sum();
            announce("charge.refunded", StripeJson.charge(paid, refunded));
        }
        else {
            announce("refund.failed", StripeJson.refund(settled));
        }
        return settled;
    }

    /** The customer's bank opens a dispute on a paid session. */
    synchronized void dispute(String sessionId, String reason) {
        CheckoutSession session = get(sessionId);
        if (!"paid".equals(session.paymentStatus())) {
            throw new IllegalStateException("Session " + sessionId + " was not paid");
        }
        announce("charge.dispute.created", StripeJson.dispute("dp_" + random(), session, reason));
    }

    synchronized void refundMode(RefundMode mode) {
        this.refundMode = mode;
    }

    /** Expires open sessions past their {@code expires_at}, as Stripe does on its own. */
    synchronized void expireOverdue() {
        Instant now = clock.instant();
        sessions.values().stream().filter(s -> "open".equals(s.status()) && s.expiresAt().isBefore(now))
                .map(CheckoutSession::id).toList().forEach(this::expire);
    }

    synchronized List<CheckoutSession> sessions() {
        return List.copyOf(sessions.values());
    }

    synchronized List<Refund> refunds() {
        return List.copyOf(refunds.values());
    }

    synchronized Optional<CheckoutSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    synchronized Optional<Refund> refund(String id) {
        return Optional.ofNullable(refunds.get(id));
    }

    private void announce(String type, JsonObject object) {
        events.accept(StripeJson.event("evt_" + random(), type, object, clock.instant().getEpochSecond()));
    }

    private CheckoutSession requireOpen(String id, String action) {
        CheckoutSession session = get(id);
        if (!"open".equals(session.status())) {
            throw new StripeError(400, "checkout_session_not_open",
                    "Cannot " + action + " checkout session " + id + " because it is " + session.status() + ".");
        }
        if (!"expire".equals(action) && session.expiresAt().isBefore(clock.instant())) {
            throw new StripeError(400, "checkout_session_not_open", "Checkout session " + id + " has expired.");
        }
        return session;
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
