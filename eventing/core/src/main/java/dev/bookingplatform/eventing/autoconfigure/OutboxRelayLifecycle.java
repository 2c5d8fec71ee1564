package dev.bookingplatform.eventing.autoconfigure;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import dev.bookingplatform.eventing.relay.OutboxRelay;
import dev.bookingplatform.eventing.relay.RelaySettings;
import dev.bookingplatform.eventing.relay.RelayStatus;

/** Starts the relay with the application context and stops it cleanly before the context closes. */
public final class OutboxRelayLifecycle implements SmartLifecycle {

    private final RelaySettings settings;

    private @Nullable OutboxRelay relay;

    OutboxRelayLifecycle(RelaySettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        if (relay == null) {
            relay = new OutboxRelay(settings);
            relay.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return relay != null;
    }

    public synchronized RelayStatus status() {
        return relay != null ? relay.status() : new RelayStatus(RelayStatus.State.STOPPED, null, Instant.now());
    }

    public RelaySettings settings() {
        return settings;
    }
}
