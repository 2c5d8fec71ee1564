package dev.bookingplatform.stripesim;

import java.util.Map;

import com.google.gson.JsonObject;
import com.stripe.Stripe;

import org.jspecify.annotations.Nullable;

/** The simulator's objects in Stripe's JSON shapes, as stripe-java expects to read them. */
final class StripeJson {

    private StripeJson() {
    }

    static JsonObject session(CheckoutSession session) {
        JsonObject json = new JsonObject();
        json.addProperty("id", session.id());
        json.addProperty("object", "checkout.session");
        json.addProperty("mode", "payment");
        json.addProperty("livemode", false);
        json.addProperty("status", session.status());
        json.addProperty("payment_status", session.paymentStatus());
        json.addProperty("amount_total", session.amountTotal());
        json.addProperty("amount_subtotal", session.amountTotal());
        json.addProperty("currency", session.currency());
        json.addProperty("customer_email", session.customerEmail());
        json.addProperty("client_reference_id", session.clientReferenceId());
        json.addProperty("payment_intent", session.paymentIntent());
        json.addProperty("expires_at", session.expiresAt().getEpochSecond());
        json.addProperty("success_url", session.successUrl());
        json.addProperty("cancel_url", session.cancelUrl());
        json.addProperty("url", "open".equals(session.status()) ? session.url() : null);
        json.add("metadata", map(session.metadata()));
        return json;
    }

    static JsonObject failedPaymentIntent(String id, CheckoutSession session, String declineMessage) {
        JsonObject json = new JsonObject();
        json.addProperty("id", id);
        json.addProperty("object", "payment_intent");
        json.addProperty("amount", session.amountTotal());
        json.addProperty("currency", session.currency());
        json.addProperty("status", "requires_payment_method");
        json.addProperty("livemode", false);
        json.add("metadata", map(session.paymentIntentMetadata()));
        JsonObject error = new JsonObject();
        error.addProperty("type", "card_error");
        error.addProperty("code", "card_declined");
        error.addProperty("decline_code", "generic_decline");
        error.addProperty("message", declineMessage);
        json.add("last_payment_error", error);
        return json;
    }

    static JsonObject refund(Refund refund) {
        JsonObject json = new JsonObject();
        json.addProperty("id", refund.id());
        json.addProperty("object", "refund");
        json.addProperty("amount", refund.amount());
        json.addProperty("currency", refund.currency());
        json.addProperty("payment_intent", refund.paymentIntent());
        json.addProperty("status", refund.status());
        json.addProperty("failure_reason", refund.failureReason());
        json.add("metadata", map(refund.metadata()));
        return json;
    }

    static JsonObject charge(CheckoutSession session, long amountRefunded) {
        JsonObject json = new JsonObject();
        json.addProperty("id", "ch_" + session.paymentIntent().substring(3));
        json.addProperty("object", "charge");
        json.addProperty("amount", session.amountTotal());
        json.addProperty("amount_refunded", amountRefunded);
        json.addProperty("refunded", amountRefunded >= session.amountTotal());
        json.addProperty("currency", session.currency());
        json.addProperty("payment_intent", session.paymentIntent());
        json.addProperty("livemode", false);
        return json;
    }

    static JsonObject dispute(String id, CheckoutSession session, String reason) {
        JsonObject json = new JsonObject();
        json.addProperty("id", id);
        json.addProperty("object", "dispute");
        json.addProperty("amount", session.amountTotal());
        json.addProperty("currency", session.currency());
        json.addProperty("payment_intent", session.paymentIntent());
        json.addProperty("reason", reason);
        json.addProperty("status", "needs_response");
        json.addProperty("livemode", false);
        return json;
    }

    static JsonObject list(java.util.List<JsonObject> data, boolean hasMore, String url) {
        JsonObject json = new JsonObject();
        json.addProperty("object", "list");
        json.addProperty("url", url);
        json.addProperty("has_more", hasMore);
        com.google.gson.JsonArray array = new com.google.gson.JsonArray();
        data.forEach(array::add);
        json.add("data", array);
        return json;
    }

    static JsonObject event(String id, String type, JsonObject object, long created) {
        JsonObject json = new JsonObject();
        json.addProperty("id", id);
        json.addProperty("object", "event");
        json.addProperty("api_version", Stripe.API_VERSION);
        json.addProperty("created", created);
        json.addProperty("livemode", false);
        json.addProperty("pending_webhooks", 1);
        json.addProperty("type", type);
        JsonObject data = new JsonObject();
        data.add("object", object);
        json.add("data", data);
        return json;
    }

    static JsonObject error(StripeError error) {
        JsonObject body = new JsonObject();
        body.addProperty("type", error.type());
        body.addProperty("code", error.code);
        body.addProperty("message", error.getMessage());
        JsonObject json = new JsonObject();
        json.add("error", body);
        return json;
    }

    private static JsonObject map(@Nullable Map<String, String> values) {
        JsonObject json = new JsonObject();
        if (values != null) {
            values.forEach(json::addProperty);
        }
        return json;
    }
}
