package dev.bookingplatform.payment;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How payment-service talks to Stripe, under {@code bookingplatform.stripe}. The API base defaults to the
 * local stack's simulator; production sets {@code api-base: https://api.stripe.com}. The secret key and the
 * webhook signing secrets have no default: the service refuses to start without them, and refuses the local
 * simulator's published ones outside the {@code local} profile ({@link StripeSecretsCheck}).
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
 * @param retry retries of transient Stripe failures (network errors, 5xx, 429) within one intent attempt, each with
 *        the same idempotency key
 * @param intents the worker pool that carries out Stripe intents
 * @param reconciliation the periodic comparison with Stripe's own record
 */
@ConfigurationProperties("bookingplatform.stripe")
public record StripeProperties(@DefaultValue("http://localhost:12111") String apiBase,
        @Nullable String apiKey,
        @DefaultValue List<String> webhookSecrets,
        @DefaultValue("300s") Duration webhookTolerance,
        @DefaultValue("http://localhost:8081/paid") String successUrl,
        @DefaultValue("http://localhost:8081/payment-cancelled") String cancelUrl,
        @DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
        @DefaultValue Retry retry, @DefaultValue Intents intents, @DefaultValue Reconciliation reconciliation) {

    /** The configured secret key; {@link StripeSecretsCheck} has made sure there is one before anything calls Stripe. */
    public String secretKey() {
        return java.util.Objects.requireNonNull(apiKey, "bookingplatform.stripe.api-key");
    }

    /** Never the key or the secrets: this lands in logs and actuator output. */
    @Override
    public String toString() {
        return "StripeProperties[apiBase=" + apiBase + ", apiKey=" + (apiKey == null ? "unset" : "(hidden)")
                + ", webhookSecrets=(" + webhookSecrets.size() + " hidden), webhookTolerance=" + webhookTolerance
                + ", intents=" + intents + ", reconciliation=" + reconciliation + "]";
    }

    /**
     * @param workers Stripe calls in flight at once, across all bookings (one booking's intents run in order)
     * @param pollInterval how often idle workers look for due intents
     * @param lease how long a claimed intent is a worker's; after it, a crashed worker's intent is claimed again
     * @param maxBackoff the longest wait between attempts of an intent that keeps failing transiently; it is
     *        retried for as long as Stripe is unreachable
     * @param sessionMinimum the shortest Checkout Session we ask Stripe for: its 30 minutes plus a minute for the
     *        call itself (retries included), checked against our clock; a hold with less left is not sent at all
     */
    public record Intents(@DefaultValue("32") int workers, @DefaultValue("200ms") Duration pollInterval,
            @DefaultValue("60s") Duration lease, @DefaultValue("30s") Duration maxBackoff,
            @DefaultValue("31m") Duration sessionMinimum) {
    }

    /**
     * @param enabled whether this service compares itself with Stripe at all
     * @param interval pause between runs
     * @param overlap how far before the last checkpoint a run starts reading (Stripe's {@code created} has
     *        1-second resolution and an event may appear in the list late)
     * @param initialLookback where the first run starts, at most 30 days (what Stripe's event list keeps)
     * @param sessionGrace how long after its {@code expires_at} a session we still think open, or after its last
     *        change a refund we still think pending, is looked up (well inside inventory's hold expiry grace)
     * @param pageSize events per page
     */
    public record Reconciliation(@DefaultValue("true") boolean enabled, @DefaultValue("60s") Duration interval,
            @DefaultValue("5m") Duration overlap, @DefaultValue("24h") Duration initialLookback,
            @DefaultValue("1m") Duration sessionGrace, @DefaultValue("100") int pageSize) {
    }

    /**
     * @param maxAttempts calls in all, the first included
     * @param initialDelay wait before the first retry; doubled after each, with jitter
     */
    public record Retry(@DefaultValue("4") int maxAttempts, @DefaultValue("200ms") Duration initialDelay) {
    }
}
