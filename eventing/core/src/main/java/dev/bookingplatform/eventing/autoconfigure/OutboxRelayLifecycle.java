package dev.bookingplatform.eventing.autoconfigure;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import dev.bookingplatform.eventing.metrics.EventingMeters;
import dev.bookingplatform.eventing.relay.OutboxRelay;
import dev.bookingplatform.eventing.relay.RelaySettings;
import dev.bookingplatform.eventing.relay.RelayStatus;

/** Starts the relay with the application context and stops it cleanly before the context closes. */
public final class OutboxRelayLifecycle implements SmartLifecycle {

    private final RelaySettings settings;

    private final Object lifecycle = new Object();

    /** Read without the lifecycle's lock: a health check must not wait behind a stop of up to 35 s. */
    private volatile @Nullable OutboxRelay relay;

    private final EventingMeters meters;

    OutboxRelayLifecycle(RelaySettings settings, EventingMeters meters) {
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (relay == null) {
                OutboxRelay started = new OutboxRelay(settings, meters);
                started.start();
                relay = started;
            }
        }
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            OutboxRelay running = relay;
            if (running != null) {
                running.close();
                relay = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return relay != null;
    }

    public RelayStatus status() {
        OutboxRelay running = relay;
        return running != null ? running.status() : new RelayStatus(RelayStatus.State.STOPPED, null, Instant.now(), 0, null, 0);
    }

    public RelaySettings settings() {
        return settings;
    }
}
