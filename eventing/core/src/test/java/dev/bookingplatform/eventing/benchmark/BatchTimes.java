package dev.bookingplatform.eventing.benchmark;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * How long Kafka took to acknowledge each batch once its last record was sent, as each relay times it: our relay's
 * transaction commit ({@code eventing.relay.commit}, the meter operators see), the bare transactional baseline's
 * commit, and the plain baseline's wait for its batch's acks. Beside the end-to-end latencies, it shows how much of
 * the relay's extra time is the transaction.
 */
final class BatchTimes {

    static final String RELAY_COMMIT = "eventing.relay.commit";

    static final String BASELINE_ACKS = "baseline.batch.acks";

    static final String BARE_TRANSACTION_COMMIT = "bare.transaction.commit";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    BatchTimes() {
        // The relay's other meters (its lag, per row) stay off, as in a relay without meters: only the batch times cost.
        registry.config().meterFilter(MeterFilter.denyUnless(id -> id.getName().equals(RELAY_COMMIT)
                || id.getName().equals(BASELINE_ACKS) || id.getName().equals(BARE_TRANSACTION_COMMIT)));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                // One window for the whole measured run: nothing rotates out before it is read.
                return DistributionStatisticConfig.builder().percentiles(0.5, 0.99).percentilePrecision(2)
                        .expiry(Duration.ofHours(1)).bufferLength(1).build().merge(config);
            }
        });
    }

    MeterRegistry registry() {
        return registry;
    }

    void recordBaselineAcks(Duration waited) {
        Timer.builder(BASELINE_ACKS).register(registry).record(waited);
    }

    void recordBareTransactionCommit(Duration commit) {
        Timer.builder(BARE_TRANSACTION_COMMIT).register(registry).record(commit);
    }

    /** Forgets the warm-up's batches; each relay registers its timer again at its next batch. */
    void clear() {
        registry.clear();
    }

    double percentileMillis(String timer, double percentile) {
        Timer found = registry.find(timer).timer();
        if (found == null) {
            return Double.NaN;
        }
        for (ValueAtPercentile value : found.takeSnapshot().percentileValues()) {
            if (value.percentile() == percentile) {
                return value.value(TimeUnit.MILLISECONDS);
            }
        }
        return Double.NaN;
    }
}
