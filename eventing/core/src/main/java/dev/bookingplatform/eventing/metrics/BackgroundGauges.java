package dev.bookingplatform.eventing.metrics;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges whose value takes a database query: read on a thread of their own every few seconds, so a scrape answers at
 * once with the last value even while the database is slow or away (then the value is NaN), instead of waiting on a
 * pool's connection timeout and losing every metric of the scrape at the moment they matter.
 */
public final class BackgroundGauges implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundGauges.class);

    private final ScheduledExecutorService refresher;

    private final Duration every;

    public BackgroundGauges(String name, Duration every) {
        this.every = every;
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gauges-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers {@code builder}'s gauge on a value refreshed from {@code read}; NaN until read, and when reading fails. */
    public void register(MeterRegistry registry, String name, String description, DoubleSupplier read,
            java.util.function.UnaryOperator<Gauge.Builder<AtomicReference<Double>>> customize) {
        AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
        customize.apply(Gauge.builder(name, value, AtomicReference::get).description(description)).register(registry);
        refresher.scheduleWithFixedDelay(() -> {
            try {
                value.set(read.getAsDouble());
            }
            catch (RuntimeException ex) {
                value.set(Double.NaN);
                log.debug("Gauge {} could not be read: {}", name, ex.toString());
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
