package dev.bookingplatform.stripesim;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.stream.Collectors;

import com.stripe.net.Webhook;

/**
 * The {@code Stripe-Signature} header Stripe sends: {@code t=<unix seconds>,v1=<HMAC-SHA256 of "t.payload">},
 * one {@code v1} per signing secret (during a secret rotation Stripe signs with both).
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    public static String header(String payload, long timestampSeconds, List<String> secrets) {
        return "t=" + timestampSeconds + secrets.stream()
                .map(secret -> ",v1=" + hmac(secret, timestampSeconds + "." + payload))
                .collect(Collectors.joining());
    }

    public static String header(String payload, long timestampSeconds, String secret) {
        return header(payload, timestampSeconds, List.of(secret));
    }

    private static String hmac(String secret, String message) {
        try {
            return Webhook.Util.computeHmacSha256(secret, message);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }
}
