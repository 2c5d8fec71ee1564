package dev.bookingplatform.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Real time, shifted by an offset a test moves forward: everything keeps ticking, and a test can jump past
 * a hold's expiry, a saga deadline or Stripe's 30-minute session minimum without waiting. The services, their
 * jobs and the Stripe simulator of one system read the same instance.
 */
public final class MovableClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    private final Clock base;

    public MovableClock() {
        this(Clock.systemUTC());
    }

    private MovableClock(Clock base) {
        this.base = base;
    }

    /** Moves time forward by {@code by} for every reader at once. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("Time only moves forward, not by " + by);
        }
        offset.accumulateAndGet(by, Duration::plus);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("A MovableClock reads UTC only");
    }
}
