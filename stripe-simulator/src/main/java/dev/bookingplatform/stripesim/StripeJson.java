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
        json.addProperty("status", "succeeded");
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
