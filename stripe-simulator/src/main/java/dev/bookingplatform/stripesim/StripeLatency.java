package dev.bookingplatform.stripesim;

import java.time.Duration;
import java.util.Random;

/**
 * How long Stripe takes to answer an API call: a log-normal distribution given by its median and its 99th
 * percentile, the shape request latencies have (most calls near the median, a long thin tail). Stripe's
 * Checkout Session creation answers in a few hundred milliseconds; a test that wants its tail sets the p99.
 *
 * <p>Each call's delay is drawn independently; a tail draw is capped at ten times the p99 so one unlucky call
 * cannot hold a request thread for minutes.
 */
public record StripeLatency(Duration median, Duration p99) {

    /** Answers at once: the default, and what most system tests use. */
    public static final StripeLatency NONE = new StripeLatency(Duration.ZERO, Duration.ZERO);

    /** The standard normal's 99th percentile: p99 = median * exp(Z99 * sigma). */
    private static final double Z99 = 2.326_347_874;

    public StripeLatency {
        if (median.isNegative() || p99.compareTo(median) < 0) {
            throw new IllegalArgumentException("Stripe latency needs 0 <= median <= p99, not median " + median + ", p99 " + p99);
        }
        if (median.isZero() && !p99.isZero()) {
            throw new IllegalArgumentException("Stripe latency with a zero median has no shape; give a median above 0");
        }
    }

    /** Every call takes exactly {@code delay}. */
    public static StripeLatency fixed(Duration delay) {
        return new StripeLatency(delay, delay);
    }

    /**
     * Parses {@code 300ms}, {@code 300ms/900ms} (median/p99) or {@code 0}: what the local stack's
     * {@code --stripe-latency} and the simulator's {@code STRIPE_SIMULATOR_LATENCY} take.
     */
    public static StripeLatency parse(String text) {
        String[] parts = text.strip().split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("Stripe latency is MEDIAN or MEDIAN/P99 (e.g. 300ms/900ms), not '" + text + "'");
        }
        Duration median = duration(parts[0], text);
        return parts.length == 1 ? fixed(median) : new StripeLatency(median, duration(parts[1], text));
    }

    private static Duration duration(String part, String whole) {
        String value = part.strip();
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
            }
            return Duration.ofMillis(Long.parseLong(value));
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Stripe latency is MEDIAN or MEDIAN/P99 in ms or s (e.g. 300ms/900ms), not '"
                    + whole + "'", ex);
        }
    }

    public boolean isNone() {
        return median.isZero();
    }

    /** One call's delay. */
    public Duration sample(Random random) {
        if (isNone() || median.equals(p99)) {
            return median;
        }
        double sigma = Math.log((double) p99.toNanos() / median.toNanos()) / Z99;
        double nanos = median.toNanos() * Math.exp(sigma * random.nextGaussian());
        return Duration.ofNanos((long) Math.min(nanos, p99.toNanos() * 10.0));
    }

    @Override
    public String toString() {
        return isNone() ? "none" : median.equals(p99) ? median.toMillis() + " ms" : "median " + median.toMillis() + " ms, p99 "
                + p99.toMillis() + " ms";
    }
}
