package dev.bookingplatform.payment.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.bookingplatform.payment.StripeProperties;
import dev.bookingplatform.web.ApiProblemException;

/**
 * Checks {@code Stripe-Signature} before anything else looks at the body: HMAC-SHA256 over
 * {@code t.payload} with each configured secret (old and new during a rotation), any {@code v1} in the
 * header may match, and the timestamp must be within the tolerance. Uses stripe-java's own code.
 */
@Component
class WebhookSignatureVerifier {

    private final StripeProperties properties;

    WebhookSignatureVerifier(StripeProperties properties) {
        this.properties = properties;
    }

    /**
     * @return the verified event
     * @throws ApiProblemException 400 if no secret verifies the signature
     * @throws MalformedWebhookException if the signature is right but the body is not a Stripe event
     */
    Event verify(String payload, @Nullable String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw invalid("the Stripe-Signature header is missing");
        }
        long tolerance = properties.webhookTolerance().toSeconds();
        for (String secret : properties.webhookSecrets()) {
            if (secret.isBlank()) {
                continue;
            }
            try {
                Webhook.Signature.verifyHeader(payload, signatureHeader, secret, tolerance);
            }
            catch (SignatureVerificationException e) {
                continue;
            }
            try {
                return Webhook.constructEvent(payload, signatureHeader, secret, tolerance);
            }
            catch (SignatureVerificationException e) {
                throw invalid(NO_MATCH);
            }
            catch (JsonParseException | IllegalStateException | ClassCastException e) {
                throw new MalformedWebhookException("The signed body is not a Stripe event", e);
            }
        }
        throw invalid(NO_MATCH);
    }

    /** The event id of a signed but malformed body if it has one, else a stable stand-in from its hash. */
    static String idOf(String payload) {
        try {
            var id = JsonParser.parseString(payload).getAsJsonObject().get("id");
            if (id != null && id.isJsonPrimitive() && !id.getAsString().isBlank()) {
                return id.getAsString();
            }
        }
        catch (RuntimeException notJson) {
            // fall through to the hash
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8));
            return "malformed_" + HexFormat.of().formatHex(digest, 0, 12);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Ours, and the same whatever failed: which secret or which check is not for the sender to learn. */
    private static final String NO_MATCH = "no signature in Stripe-Signature matches this endpoint's secrets within the"
            + " allowed age";

    private static ApiProblemException invalid(String why) {
        return new ApiProblemException(HttpStatus.BAD_REQUEST, "Invalid Stripe signature",
                "The webhook was not verified: " + why);
    }
}
