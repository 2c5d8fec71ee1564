package dev.bookingplatform.web.security;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * The token buckets, in this replica's memory: each limit is per replica (N replicas behind a balancer allow N
 * times as much). Buckets of callers not seen for a while are dropped, so memory stays bounded.
 */
final class RateLimiters {

    private static final Duration IDLE = Duration.ofMinutes(10);

    private final EdgeSecurityProperties.RateLimits limits;

    private final ClientAddress clientAddress;

    private final Cache<String, Bucket> subjects;

    private final Cache<String, Bucket> addresses;

    private final Cache<String, Bucket> webhookSenders;

    RateLimiters(EdgeSecurityProperties.RateLimits limits, ClientAddress clientAddress) {
        this.limits = limits;
        this.clientAddress = clientAddress;
        this.subjects = Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(200_000).build();
        this.addresses = Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(200_000).build();
        this.webhookSenders = Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(200_000).build();
    }

    boolean enabled() {
        return limits.enabled();
    }

    /** Nanoseconds to wait, or 0 when the subject's request may go ahead (and was counted). */
    long trySubject(String subject) {
        return consume(subjects.get(subject, key -> bucket(limits.subjectLimit())));
    }

    /**
     * Per sending address, not one bucket for all: a flood of unsigned posts from one machine must not use up what
     * Stripe's own deliveries (from Stripe's addresses) are allowed.
     */
    long tryWebhook(HttpServletRequest request) {
        return consume(webhookSenders.get(clientAddress.of(request), key -> bucket(limits.webhookLimit())));
    }

    /**
     * A request that failed to authenticate (no token, a bad one): counted against its client address.
     * @return nanoseconds to wait when the address is over its limit (answer 429, not 401), else 0
     */
    long authenticationFailed(HttpServletRequest request) {
        return consume(addresses.get(clientAddress.of(request), key -> bucket(limits.addressLimit())));
    }

    private long consume(Bucket bucket) {
        if (!limits.enabled()) {
            return 0;
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    static long retryAfterSeconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L));
    }

    private static Bucket bucket(EdgeSecurityProperties.Limit limit) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()).build())
                .build();
    }
}
