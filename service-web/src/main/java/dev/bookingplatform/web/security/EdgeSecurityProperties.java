package dev.bookingplatform.web.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The edge's security settings, under {@code bookingplatform.security}. There is no default key: a service
 * with neither {@code jwt.jwk-set-uri} nor {@code jwt.hmac-secret} refuses to start.
 *
 * @param jwt how bearer tokens are verified
 * @param rateLimits requests allowed per token subject, per client address that failed to authenticate, and
 *        on the webhook; buckets are kept in memory, so each limit is per replica
 * @param trustedProxies addresses (or CIDR ranges) of the load balancers in front; only their
 *        {@code X-Forwarded-For} is believed when finding a client's address
 */
@ConfigurationProperties("bookingplatform.security")
public record EdgeSecurityProperties(@DefaultValue Jwt jwt, @DefaultValue RateLimits rateLimits,
        @DefaultValue List<String> trustedProxies) {

    /**
     * @param jwkSetUri the identity provider's JWKS (production): RS256 and ES256 tokens signed by its keys
     * @param hmacSecret a base64 shared key of at least 256 bits (the local stack generates one per start):
     *        HS256 tokens only
     * @param issuer the {@code iss} every token must carry
     * @param audience a value the token's {@code aud} must contain
     * @param clockSkew tolerance on {@code exp} and {@code nbf}
     */
    public record Jwt(@Nullable URI jwkSetUri, @Nullable String hmacSecret,
            @DefaultValue("booking-platform") String issuer, @DefaultValue("booking-api") String audience,
            @DefaultValue("30s") Duration clockSkew) {

        @Override
        public String toString() {
            return "Jwt[jwkSetUri=" + jwkSetUri + ", hmacSecret=" + (hmacSecret == null ? "unset" : "(hidden)")
                    + ", issuer=" + issuer + ", audience=" + audience + ", clockSkew=" + clockSkew + "]";
        }
    }

    /**
     * @param perSubject requests of one token subject (a customer, or the gateway's own admin identity)
     * @param perAddress failed authentications (no token, or one that does not verify) from one client address;
     *        past it, that address's next failures are answered 429 instead of 401. Requests that authenticate never
     *        count here: the gateway is one address for all its customers (name it in trusted-proxies, with
     *        X-Forwarded-For, to count its customers' addresses instead)
     * @param webhook webhook deliveries this replica takes from one sending address (Stripe retries a 429 later)
     */
    public record RateLimits(@DefaultValue("true") boolean enabled, @Nullable Limit perSubject, @Nullable Limit perAddress,
            @Nullable Limit webhook) {

        public RateLimits {
            perSubject = perSubject != null ? perSubject : new Limit(50, Duration.ofSeconds(1));
            perAddress = perAddress != null ? perAddress : new Limit(20, Duration.ofMinutes(1));
            webhook = webhook != null ? webhook : new Limit(200, Duration.ofSeconds(1));
        }

        public Limit subjectLimit() {
            return java.util.Objects.requireNonNull(perSubject);
        }

        public Limit addressLimit() {
            return java.util.Objects.requireNonNull(perAddress);
        }

        public Limit webhookLimit() {
            return java.util.Objects.requireNonNull(webhook);
        }
    }

    /** {@code requests} per {@code period}, refilled gradually; a burst may spend a whole period's at once. */
    public record Limit(int requests, Duration period) {

        public Limit {
            if (requests < 1 || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("A rate limit needs at least one request per positive period");
            }
        }
    }
}
