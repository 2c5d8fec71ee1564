package dev.bookingplatform.eventing.relay;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.eventing.relay.ReplicationSlotGuard.ReplicationSlotMissingException;

/**
 * Carries the outbox to Kafka: while this replica holds the {@link RelayLeaderLock}, runs a Debezium
 * engine on the outbox publication and publishes through {@link KafkaPublisher}. When the engine fails it
 * is restarted after a back-off, from the last acknowledged offset, unless the {@link ReplicationSlotGuard}
 * says that would skip events. When leadership is lost the engine stops at once.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final Duration ENGINE_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final RelaySettings settings;

    private final RelayLeaderLock lock;

    private final ReplicationSlotGuard slotGuard;

    private final AtomicLong published = new AtomicLong();

    private final ExecutorService supervisor;

    private final ExecutorService engineRunner;

    private volatile RelayStatus status = RelayStatus.of(RelayStatus.State.STOPPED);

    private volatile boolean closing;

    public OutboxRelay(RelaySettings settings) {
        this.settings = settings;
        this.lock = new RelayLeaderLock(settings);
        this.slotGuard = new ReplicationSlotGuard(settings);
        this.supervisor = Executors.newSingleThreadExecutor(daemon("outbox-relay-" + settings.database()));
        this.engineRunner = Executors.newSingleThreadExecutor(daemon("outbox-relay-engine-" + settings.database()));
    }

    /** Starts competing for leadership and relaying; returns at once. */
    /**
     * Creates this database's replication slot if the relay never published from it. Call it before the
     * service writes its first outbox row (the eventing auto-configuration does, with the schema migration):
     * the relay streams from the slot with no initial snapshot.
     */
    public static void prepareSlot(RelaySettings settings) {
        new ReplicationSlotGuard(settings).createIfNeverPublished();
    }

    public void start() {
        status = RelayStatus.of(RelayStatus.State.STANDBY);
        supervisor.execute(this::superviseUntilClosed);
    }

    public RelayStatus status() {
        return status;
    }

    /** Events published and acknowledged by Kafka since this relay was created. */
    public long publishedCount() {
        return published.get();
    }

    /** Backend pid of the connection holding the relay lock, or -1 if this replica is not the leader. */
    public int leaderLockBackendPid() {
        return lock.backendPid();
    }

    /** Stops the engine cleanly (committing what Kafka acknowledged) and gives up leadership. */
    @Override
    public void close() {
        closing = true;
        supervisor.shutdown();
        try {
            if (!supervisor.awaitTermination(ENGINE_STOP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                log.warn("Outbox relay of {} did not stop in time", settings.database());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        engineRunner.shutdownNow();
        lock.close();
        status = RelayStatus.of(RelayStatus.State.STOPPED);
    }

    private void superviseUntilClosed() {
        while (!closing) {
            if (!lock.tryAcquire()) {
                status = RelayStatus.of(RelayStatus.State.STANDBY);
                pause(settings.leaderCheckInterval());
                continue;
            }
            try {
                slotGuard.check();
                relayWhileLeader();
            }
            catch (ReplicationSlotMissingException ex) {
                fail(ex.getMessage(), null);
            }
            catch (RuntimeException ex) {
                fail("Outbox relay of " + settings.database() + " failed: " + ex, ex);
            }
            if (!closing && status.state() == RelayStatus.State.FAILED) {
                pause(settings.restartBackoff());
            }
            else if (!closing) {
                // Leadership was lost: yield so a standby replica, polling at the same interval, wins the lock.
                pause(settings.leaderCheckInterval().multipliedBy(4));
            }
        }
    }

    private void relayWhileLeader() {
        status = RelayStatus.of(RelayStatus.State.STARTING);
        CompletableFuture<@Nullable Throwable> finished = new CompletableFuture<>();
        try (KafkaPublisher publisher = new KafkaPublisher(settings.bootstrapServers(), published)) {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
                    .create(ChangeEventFormat.of(Connect.class))
                    .using(RelayEngineProperties.of(settings))
                    .notifying(publisher)
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            status = RelayStatus.of(RelayStatus.State.RUNNING);
                            log.info("Outbox relay of {} is streaming from slot {}", settings.database(), settings.slotName());
                        }
                    })
                    .using((success, message, error) -> finished.complete(
                            success ? null : (error != null ? error : new IllegalStateException(message))))
                    .build();
            engineRunner.execute(engine);
            Throwable failure = awaitEngine(engine, finished);
            if (failure != null) {
                fail("Outbox relay engine of " + settings.database() + " stopped: " + rootMessage(failure), failure);
            }
        }
    }

    private @Nullable Throwable awaitEngine(DebeziumEngine<?> engine, CompletableFuture<@Nullable Throwable> finished) {
        while (true) {
            try {
                return finished.get(settings.leaderCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException stillRunning) {
                if (closing || !lock.isHeld()) {
                    stopEngine(engine, finished);
                    return null;
                }
            }
            catch (ExecutionException ex) {
                return ex.getCause();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                stopEngine(engine, finished);
                return null;
            }
        }
    }

    private void stopEngine(DebeziumEngine<?> engine, CompletableFuture<@Nullable Throwable> finished) {
        try {
            engine.close();
            finished.get(ENGINE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (Exception ex) {
            log.warn("Outbox relay engine of {} did not stop cleanly: {}", settings.database(), ex.toString());
        }
        status = RelayStatus.of(RelayStatus.State.STANDBY);
    }

    private void fail(String message, @Nullable Throwable cause) {
        status = RelayStatus.failed(message);
        log.error(message, cause);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.toString() : failure + " (caused by " + root + ")";
    }

    private void pause(Duration duration) {
        try {
            // The supervisor has nothing to wait on but time: the lock has no notification, PostgreSQL frees it silently.
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
