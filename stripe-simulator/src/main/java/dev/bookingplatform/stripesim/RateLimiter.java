package dev.bookingplatform.stripesim;

import java.util.concurrent.atomic.AtomicInteger;

/** Stripe's per-account rate limit, as a fixed one-second window: above the limit, 429. */
final class RateLimiter {

    private final AtomicInteger refused = new AtomicInteger();

    private volatile int perSecond;

    private long windowStart;

    private int used;

    RateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    void limit(int requestsPerSecond) {
        this.perSecond = requestsPerSecond;
    }

    synchronized boolean tryAcquire() {
        if (perSecond <= 0) {
            return true;
        }
        long second = System.nanoTime() / 1_000_000_000L;
        if (second != windowStart) {
            windowStart = second;
            used = 0;
        }
        if (used < perSecond) {
            used++;
            return true;
        }
        refused.incrementAndGet();
        return false;
    }

    int refused() {
        return refused.get();
    }
}
