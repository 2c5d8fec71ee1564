package dev.bookingplatform.eventing.relay;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the relay is doing, for health checks and operators.
 *
 * @param state where it is
 * @param error the last failure, naming what failed; null unless {@code state} is FAILED
 * @param since when it entered this state
 * @param term the leader term this replica leads in (0 if it never led)
 * @param batchWaitingSince when the batch now being published was handed over, null between batches: a time
 *        long past means Kafka stalls the relay although its state says RUNNING
 * @param failuresInARow failed attempts since the last time it streamed; a crash loop shows here
 */
public record RelayStatus(State state, @Nullable String error, Instant since, long term,
        @Nullable Instant batchWaitingSince, int failuresInARow) {

    /** A batch waiting this long for Kafka makes the relay unhealthy; a healthy one commits in milliseconds. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

    public enum State {
        /** Not started, or closed. */
        STOPPED,
        /** Another replica holds the relay lock; this one waits to take over. */
        STANDBY,
        /** Leader; the engine is starting (stream setup). Not healthy: a crash-looping relay sits here. */
        STARTING,
        /** Leader; streaming the outbox to Kafka. */
        RUNNING,
        /** The last attempt failed; see {@code error}. Retried after a back-off unless it is unsafe. */
        FAILED
    }

    static RelayStatus of(State state) {
        return new RelayStatus(state, null, Instant.now(), 0, null, 0);
    }

    static RelayStatus failed(String error) {
        return new RelayStatus(State.FAILED, error, Instant.now(), 0, null, 0);
    }

    RelayStatus withTerm(long leaderTerm) {
        return new RelayStatus(state, error, since, leaderTerm, batchWaitingSince, failuresInARow);
    }

    RelayStatus withFailuresInARow(int failures) {
        return new RelayStatus(state, error, since, term, batchWaitingSince, failures);
    }

    RelayStatus withBatchWaitingSince(@Nullable Instant waitingSince) {
        return new RelayStatus(state, error, since, term, waitingSince, failuresInARow);
    }

    /** True when Kafka has held the current batch longer than {@code stallTimeout}. */
    public boolean isStalled(Duration stallTimeout, Instant now) {
        return batchWaitingSince != null && batchWaitingSince.plus(stallTimeout).isBefore(now);
    }

    /** Healthy means: publishing without a stall, or ready to take over from the replica that is. */
    public boolean isHealthy(Duration stallTimeout) {
        return state == State.STANDBY || (state == State.RUNNING && !isStalled(stallTimeout, Instant.now()));
    }

    public boolean isHealthy() {
        return isHealthy(DEFAULT_STALL_TIMEOUT);
    }
}
