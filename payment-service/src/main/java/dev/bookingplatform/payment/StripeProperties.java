package dev.bookingplatform.payment;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How payment-service talks to Stripe, under {@code bookingplatform.stripe}. The defaults point at the
 * Stripe simulator of the local stack; production sets {@code api-base: https://api.stripe.com}, a live
 * or test secret key and the endpoint's signing secrets.
 *
 * @param apiBase Stripe's API base URL
 * @param apiKey secret API key ({@code sk_...})
 * @param webhookSecrets signing secrets ({@code whsec_...}) accepted on {@code /webhooks/stripe}; during a
 *        rotation list the new and the old one
 * @param webhookTolerance how old a signed webhook may be; older ones are refused as replays
 * @param successUrl where Checkout sends the customer after paying
 * @param cancelUrl where Checkout sends the customer who gives up
 * @param connectTimeout connect timeout of one Stripe call
 * @param readTimeout read timeout of one Stripe call
 * @param retry retries of transient Stripe failures (network errors, 5xx, 429), each with the same idempotency key
 */
@ConfigurationProperties("bookingplatform.stripe")
public record StripeProperties(@DefaultValue("http://localhost:12111") String apiBase,
        @DefaultValue("sk_test_local_simulator") String apiKey,
        @DefaultValue("whsec_local_simulator") List<String> webhookSecrets,
        @DefaultValue("300s") Duration webhookTolerance,
        @DefaultValue("http://localhost:8081/paid") String successUrl,
        @DefaultValue("http://localhost:8081/payment-cancelled") String cancelUrl,
        @DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
        @DefaultValue Retry retry) {

    /**
     * @param maxAttempts calls in all, the first included
     * @param initialDelay wait before the first retry; doubled after each, with jitter
     */
    public record Retry(@DefaultValue("4") int maxAttempts, @DefaultValue("200ms") Duration initialDelay) {
    }
}
