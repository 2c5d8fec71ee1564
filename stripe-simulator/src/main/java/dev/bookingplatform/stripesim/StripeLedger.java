package dev.bookingplatform.stripesim;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import com.google.gson.JsonObject;

/**
 * The simulator's Stripe account: sessions and refunds, with Stripe's rules (only an open session can
 * be paid or expired; a refund needs a paid payment intent and cannot exceed what was paid). Every
 * change that Stripe announces by webhook is handed to the event sink.
 */
final class StripeLedger {

    private final Map<String, CheckoutSession> sessions = new LinkedHashMap<>();

    private final List<Refund> refunds = new ArrayList<>();

    private final String checkoutBaseUrl;

    private final Clock clock;

    private final Consumer<JsonObject> events;

    StripeLedger(String checkoutBaseUrl, Clock clock, Consumer<JsonObject> events) {
        this.checkoutBaseUrl = checkoutBaseUrl;
        this.clock = clock;
        this.events = events;
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
        String expiresAt = form.get("expires_at");
        Instant expiry = expiresAt != null ? Instant.ofEpochSecond(Long.parseLong(expiresAt)) : clock.instant().plusSeconds(86_400);
        String id = "cs_test_" + random();
        CheckoutSession session = new CheckoutSession(id, "open", "unpaid", total, currency, form.get("customer_email"),
                form.get("client_reference_id"), form.map("metadata"), form.map("payment_intent_data[metadata]"), null,
                expiry, form.get("success_url"), form.get("cancel_url"), checkoutBaseUrl + "/checkout/" + id);
        sessions.put(id, session);
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
        sessions.put(id, expired);
        events.accept(StripeJson.event("evt_" + random(), "checkout.session.expired", StripeJson.session(expired), now()));
        return expired;
    }

    synchronized CheckoutSession pay(String id) {
        CheckoutSession session = requireOpen(id, "pay");
        CheckoutSession paid = session.withStatus("complete", "paid", "pi_" + random());
        sessions.put(id, paid);
        events.accept(StripeJson.event("evt_" + random(), "checkout.session.completed", StripeJson.session(paid), now()));
        return paid;
    }

    /** A declined card: Stripe keeps the session open (the customer may try again) and reports the failed intent. */
    synchronized CheckoutSession decline(String id) {
        CheckoutSession session = requireOpen(id, "decline");
        events.accept(StripeJson.event("evt_" + random(), "payment_intent.payment_failed",
                StripeJson.failedPaymentIntent("pi_" + random(), session, "Your card was declined."), now()));
        return session;
    }

    synchronized Refund refund(FormBody form) {
        String paymentIntent = form.require("payment_intent");
        CheckoutSession paid = sessions.values().stream().filter(s -> paymentIntent.equals(s.paymentIntent())).findFirst()
                .orElseThrow(() -> new StripeError(404, "resource_missing", "No such payment_intent: '" + paymentIntent + "'"));
        long alreadyRefunded = refunds.stream().filter(r -> r.paymentIntent().equals(paymentIntent)).mapToLong(Refund::amount).sum();
        long amount = form.get("amount") != null ? form.requireLong("amount") : paid.amountTotal() - alreadyRefunded;
        if (amount <= 0 || alreadyRefunded + amount > paid.amountTotal()) {
            throw new StripeError(400, "charge_already_refunded", "Charge for " + paymentIntent + " has already been refunded.");
        }
        Refund refund = new Refund("re_" + random(), paymentIntent, amount, paid.currency());
        refunds.add(refund);
        return refund;
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
        return List.copyOf(refunds);
    }

    synchronized Optional<CheckoutSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    private CheckoutSession requireOpen(String id, String action) {
        CheckoutSession session = get(id);
        if (!"open".equals(session.status())) {
            throw new StripeError(400, "checkout_session_not_open",
                    "Cannot " + action + " checkout session " + id + " because it is " + session.status() + ".");
        }
        return session;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
