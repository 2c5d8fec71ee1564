package dev.bookingplatform.eventing.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.eventing.metrics.EventingMeters;
import dev.bookingplatform.eventing.relay.ReplicationSlotGuard.ReplicationSlotMissingException;

/**
 * Carries the outbox to Kafka: while this replica holds the {@link RelayLeaderLock}, runs a Debezium engine on
 * the outbox publication and publishes through {@link KafkaPublisher}, in the term the lock gave it. When the
 * engine fails, the relay lets go of the lock (a healthy standby may take over) and tries again after a
 * back-off, from the last acknowledged offset, unless the {@link ReplicationSlotGuard} says that would skip
 * events. When leadership is lost the engine stops at once; if it does not, the broker's fencing of its producer
 * and the term on every offset write make it harmless. Operators' re-publish requests are carried out here
 * ({@link OutboxRepublisher}), with the engine stopped.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final Duration ENGINE_STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Streaming this long without a failure, even with nothing to publish, ends a crash loop's count. */
    private static final Duration HEALTHY_AGAIN_AFTER = Duration.ofMinutes(1);

    /** How often the leader looks for a re-publish request an operator filed. */
    private static final Duration REPUBLISH_CHECK_INTERVAL = Duration.ofSeconds(5);

    private final RelaySettings settings;

    private final RelayLeaderLock lock;

    private final ReplicationSlotGuard slotGuard;

    private final OutboxRepublisher republisher;

    private final AtomicLong published = new AtomicLong();

    private final ExecutorService supervisor;

    /** Written by the supervisor, and once per attempt by its engine's callback, which must not overwrite a later state. */
    private final AtomicReference<RelayStatus> status = new AtomicReference<>(RelayStatus.of(RelayStatus.State.STOPPED));

    private volatile @Nullable KafkaPublisher currentPublisher;

    private volatile boolean closing;

    /** Wakes the supervisor from a pause when the relay closes. */
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    private final java.util.concurrent.atomic.AtomicInteger failuresInARow = new java.util.concurrent.atomic.AtomicInteger();

    private final EventingMeters meters;

    public OutboxRelay(RelaySettings settings) {
        this(settings, EventingMeters.none());
    }

    public OutboxRelay(RelaySettings settings, EventingMeters meters) {
        this.meters = meters;
        this.settings = settings;
        this.lock = new RelayLeaderLock(settings);
        this.slotGuard = new ReplicationSlotGuard(settings);
        this.republisher = new OutboxRepublisher(settings);
        this.supervisor = Executors.newSingleThreadExecutor(daemon("outbox-relay-" + settings.database()));
    }

    /**
     * Creates this database's replication slot if the relay never published from it. Call it before the
     * service writes its first outbox row (the eventing auto-configuration does, with the schema migration):
     * the relay streams from the slot with no initial snapshot.
     */
    public static void prepareSlot(RelaySettings settings) {
        new ReplicationSlotGuard(settings).createIfNeverPublished();
    }

    /** Starts competing for leadership and relaying; returns at once. */
    public void start() {
        // Not STANDBY until it has asked: a replica that cannot reach its database must not read healthy.
        status.set(RelayStatus.of(RelayStatus.State.STARTING));
        supervisor.execute(this::superviseUntilClosed);
    }

    /** Never blocks: health checks read it while the relay starts or stops. */
    public RelayStatus status() {
        KafkaPublisher publisher = currentPublisher;
        RelayStatus current = status.get();
        return publisher == null ? current : current.withBatchWaitingSince(publisher.batchStartedAt());
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
        closed.countDown();
        supervisor.shutdown();
        try {
            if (!supervisor.awaitTermination(ENGINE_STOP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                log.warn("Outbox relay of {} did not stop in time", settings.database());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        lock.close();
        status.set(RelayStatus.of(RelayStatus.State.STOPPED));
    }

    private void superviseUntilClosed() {
        while (!closing) {
            RelayLeaderLock.Attempt tried = lock.tryAcquire();
            if (tried == RelayLeaderLock.Attempt.HELD_ELSEWHERE) {
                status.set(RelayStatus.of(RelayStatus.State.STANDBY).withFailuresInARow(failuresInARow.get()));
                pause(settings.leaderCheckInterval());
                continue;
            }
            if (tried == RelayLeaderLock.Attempt.UNREACHABLE) {
                fail(String.valueOf(lock.lastError()), null, 0);
                pause(settings.restartBackoff());
                continue;
            }
            long term = lock.term();
            boolean lostLeadership = false;
            try {
                OutboxRepublisher.Request request = republisher.pending();
                if (request != null) {
                    republish(request, term);
                }
                slotGuard.check();
                lostLeadership = relayWhileLeader(term);
            }
            catch (ReplicationSlotMissingException ex) {
                fail(ex.getMessage(), null, term);
            }
            catch (RuntimeException ex) {
                if (isFenced(ex) && !lock.stillLeads()) {
                    lostLeadership = true;
                    log.warn("Outbox relay of {} (term {}) was fenced by a newer leader: {}", settings.database(), term,
                            ex.getMessage());
                }
                else {
                    fail("Outbox relay of " + settings.database() + " failed: " + rootMessage(ex), ex, term);
                }
            }
            if (closing) {
                break;
            }
            if (status.get().state() == RelayStatus.State.FAILED) {
                // A failed leader lets go, so a healthy standby can take over; it competes again after the back-off.
                lock.release();
                pause(settings.restartBackoff());
            }
            else if (lostLeadership) {
                lock.release();
                // Not STANDBY until it has seen another replica hold the lock: its database may simply be gone.
                status.set(RelayStatus.of(RelayStatus.State.STARTING).withFailuresInARow(failuresInARow.get()));
                // Yield so a standby replica, polling at the same interval, wins the lock.
                pause(settings.leaderCheckInterval().multipliedBy(4));
            }
        }
    }

    /** @return true if it stopped because leadership was lost; false if it should simply start again */
    private boolean relayWhileLeader(long term) {
        RelayStatus starting = RelayStatus.of(RelayStatus.State.STARTING).withTerm(term).withFailuresInARow(failuresInARow.get());
        status.set(starting);
        CompletableFuture<@Nullable Throwable> finished = new CompletableFuture<>();
        long engineNumber = RelayEngineProperties.nextEngine();
        try (KafkaPublisher publisher = new KafkaPublisher(settings, term, published, meters)) {
            // Starting the producer fenced every other one; if leadership went meanwhile, this one must not publish.
            if (!lock.stillLeads()) {
                throw new RelayFencedException("Relay of " + settings.database() + " lost leadership (term " + term
                        + ") while its producer started");
            }
            currentPublisher = publisher;
            // After the fencing, so the previous leader's producer can no longer commit: its engine then loses the slot.
            lock.terminateOtherWalsender();
            DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
                    .create(ChangeEventFormat.of(Connect.class))
                    .using(RelayEngineProperties.of(settings, term, engineNumber))
                    .notifying(publisher)
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            // Only over this attempt's own STARTING: anything written since (failed, stepped down) stays.
                            if (!status.compareAndSet(starting, RelayStatus.of(RelayStatus.State.RUNNING).withTerm(term)
                                    .withFailuresInARow(failuresInARow.get()))) {
                                return;
                            }
                            log.info("Outbox relay of {} (term {}) is streaming from slot {}", settings.database(), term,
                                    settings.slotName());
                        }
                    })
                    .using((success, message, error) -> finished.complete(
                            success ? null : (error != null ? error : new IllegalStateException(message))))
                    .build();
            Thread runner = new Thread(engine, "outbox-relay-engine-" + settings.database() + "-term-" + term);
            runner.setDaemon(true);
            runner.start();
            Outcome outcome = awaitEngine(engine, finished, term, () -> {
                // The engine thread is blocked in the publisher: closing the producer fails its batch (aborted, so
                // read_committed consumers never see it) and the engine stops on that error.
                publisher.abandon();
                runner.interrupt();
            });
            if (outcome.failure() != null) {
                if ((isFenced(outcome.failure()) || !lock.isHeld()) && !lock.stillLeads()) {
                    // Its stream broke, or its producer was fenced, because a newer leader took over: not a failure.
                    throw new RelayFencedException(rootMessage(outcome.failure()), outcome.failure());
                }
                fail("Outbox relay engine of " + settings.database() + " stopped: " + rootMessage(outcome.failure()),
                        outcome.failure(), term);
            }
            return outcome.lostLeadership();
        }
        finally {
            currentPublisher = null;
            // A stop cut short leaves the engine's metrics registered, holding its queue; a clean one has removed them.
            DebeziumMetrics.unregister(settings.engineName(), term, engineNumber);
        }
    }

    private Outcome awaitEngine(DebeziumEngine<?> engine, CompletableFuture<@Nullable Throwable> finished, long term,
            Runnable abandonBatch) {
        Instant nextRepublishCheck = Instant.now().plus(REPUBLISH_CHECK_INTERVAL);
        long publishedAtStart = published.get();
        while (true) {
            forgetFailuresOnceItWorks(publishedAtStart);
            try {
                return new Outcome(finished.get(settings.leaderCheckInterval().toMillis(), TimeUnit.MILLISECONDS), false);
            }
            catch (TimeoutException stillRunning) {
                if (closing || !lock.isHeld()) {
                    stopEngine(engine, finished);
                    return new Outcome(null, !closing);
                }
                Instant waiting = status().batchWaitingSince();
                if (waiting != null && waiting.plus(settings.stepDownAfter()).isBefore(Instant.now())) {
                    // This replica cannot publish: another one may reach Kafka. FAILED lets go of the lock (below),
                    // and this one competes again after the back-off.
                    String why = "Outbox relay of " + settings.database() + " (term " + term + ") could not publish for "
                            + settings.stepDownAfter().toSeconds() + " s (a batch waiting for Kafka since " + waiting
                            + "); stepping down so a standby may take over";
                    abandonBatch.run();
                    stopEngine(engine, finished);
                    return new Outcome(new RelayStalledException(why), false);
                }
                if (Instant.now().isAfter(nextRepublishCheck)) {
                    nextRepublishCheck = Instant.now().plus(REPUBLISH_CHECK_INTERVAL);
                    OutboxRepublisher.Request request = pendingQuietly();
                    if (request != null) {
                        if (stopEngine(engine, finished)) {
                            republish(request, term);
                        }
                        return new Outcome(null, false);
                    }
                }
            }
            catch (ExecutionException ex) {
                return new Outcome(ex.getCause(), false);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                closing = true;
                stopEngine(engine, finished);
                return new Outcome(null, false);
            }
        }
    }

    /** A crash loop stays visible until the relay published again, or streamed for a while with nothing to publish. */
    private void forgetFailuresOnceItWorks(long publishedAtStart) {
        RelayStatus current = status.get();
        if (failuresInARow.get() > 0 && current.state() == RelayStatus.State.RUNNING
                && (published.get() > publishedAtStart || current.since().plus(HEALTHY_AGAIN_AFTER).isBefore(Instant.now()))) {
            failuresInARow.set(0);
            status.compareAndSet(current, current.withFailuresInARow(0));
        }
    }

    /** While streaming, a failed look for requests is tried again at the next check; the supervisor's own look is strict. */
    private OutboxRepublisher.@Nullable Request pendingQuietly() {
        try {
            return republisher.pending();
        }
        catch (IllegalStateException ex) {
            log.warn("{}; looking again in {} s", ex.getMessage(), REPUBLISH_CHECK_INTERVAL.toSeconds());
            return null;
        }
    }

    private void republish(OutboxRepublisher.Request request, long term) {
        status.set(RelayStatus.of(RelayStatus.State.STARTING).withTerm(term).withFailuresInARow(failuresInARow.get()));
        log.warn("Outbox relay of {} (term {}) re-publishes from sequence {} (request {})", settings.database(), term,
                request.fromSequence(), request.id());
        republisher.carryOut(request, term, lock::stillLeads);
    }

    /** @return true once the engine stopped; false (and FAILED) if it did not within the timeout */
    private boolean stopEngine(DebeziumEngine<?> engine, CompletableFuture<@Nullable Throwable> finished) {
        long deadline = System.nanoTime() + ENGINE_STOP_TIMEOUT.toNanos();
        while (!finished.isDone() && System.nanoTime() < deadline) {
            try {
                engine.close();
                break;
            }
            catch (IllegalStateException starting) {
                // Debezium refuses to stop while its tasks start (slot retries can take seconds): ask again shortly.
                try {
                    finished.get(200, TimeUnit.MILLISECONDS);
                }
                catch (TimeoutException | ExecutionException notYet) {
                    // Still starting; try close() again.
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            catch (Exception ex) {
                log.warn("Outbox relay engine of {} did not close cleanly: {}", settings.database(), ex.toString());
                break;
            }
        }
        try {
            finished.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        }
        catch (ExecutionException failedWhileStopping) {
            return true;
        }
        catch (TimeoutException | InterruptedException ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Not STANDBY: it may still run. Its producer is fenced by the next leader and its offsets by the term.
            fail("Outbox relay engine of " + settings.database() + " did not stop within " + ENGINE_STOP_TIMEOUT.toSeconds()
                    + " s; a newer leader fences whatever it still does", null, status.get().term());
            return false;
        }
    }

    private void fail(String message, @Nullable Throwable cause, long term) {
        int failures = failuresInARow.incrementAndGet();
        status.set(RelayStatus.failed(message).withTerm(term).withFailuresInARow(failures));
        log.error(message, cause);
    }

    private static boolean isFenced(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RelayFencedException) {
                return true;
            }
        }
        return false;
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
            // Waits out the time (the lock has no notification: PostgreSQL frees it silently), or until close().
            closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
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

    private record Outcome(@Nullable Throwable failure, boolean lostLeadership) {
    }
}
