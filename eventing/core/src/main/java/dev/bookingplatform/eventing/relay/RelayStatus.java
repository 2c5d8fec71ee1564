package dev.bookingplatform.eventing.relay;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the relay is doing, for health checks and operators.
 *
 * @param state where it is
 * @param error the last failure, naming what failed; null unless {@code state} is FAILED
 * @param since when it entered this state
 */
public record RelayStatus(State state, @Nullable String error, Instant since) {

    public enum State {
        /** Not started, or closed. */
        STOPPED,
        /** Another replica holds the relay lock; this one waits to take over. */
        STANDBY,
        /** Leader; the engine is starting (snapshot or stream setup). */
        STARTING,
        /** Leader; streaming the outbox to Kafka. */
        RUNNING,
        /** The last attempt failed; see {@code error}. Retried after a back-off unless it is unsafe. */
        FAILED
    }

    static RelayStatus of(State state) {
        return new RelayStatus(state, null, Instant.now());
    }

    static RelayStatus failed(String error) {
        return new RelayStatus(State.FAILED, error, Instant.now());
    }

    /** Healthy means: publishing, or ready to take over from the replica that is. */
    public boolean isHealthy() {
        return state == State.RUNNING || state == State.STANDBY || state == State.STARTING;
    }
}
