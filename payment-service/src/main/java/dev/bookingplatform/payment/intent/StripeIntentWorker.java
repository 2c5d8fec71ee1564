package dev.bookingplatform.payment.intent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.bookingplatform.eventing.correlation.CorrelationScope;
import dev.bookingplatform.eventing.tracing.TraceContext;
import dev.bookingplatform.payment.StripeProperties;

/**
 * The bounded pool that calls Stripe: {@code workers} threads, each claiming one due intent at a time and
 * carrying it out through {@link IntentRunner}. The waiting for Stripe happens here, side by side, never on a
 * Kafka consumer thread and never inside a transaction.
 *
 * <p>Idle workers do not all poll: each committed intent wakes one, and a worker that found an intent wakes one
 * more (there may be others), so a burst spreads over the pool while an idle pool costs one query per
 * {@code pollInterval} (the first worker's look, for retries coming due and leases running out), not one per
 * worker. Waking every idle worker for each intent cost a claim query per worker per booking at 64 workers.
 */
@Component
class StripeIntentWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StripeIntentWorker.class);

    /** Past this many attempts, an intent whose outcome keeps failing to record is a defect for ops, not an outage. */
    static final int MAX_UNRECORDABLE_ATTEMPTS = 50;

    private final StripeIntents intents;

    private final IntentRunner runner;

    private final StripeProperties properties;

    /** Idle workers other than the first look this many poll intervals apart, in case a wake-up went astray. */
    private static final int IDLE_LOOKS_APART = 25;

    private final Semaphore wakeUps = new Semaphore(0);

    private volatile boolean running;

    private ExecutorService threads;

    StripeIntentWorker(StripeIntents intents, IntentRunner runner, StripeProperties properties) {
        this.intents = intents;
        this.runner = runner;
        this.properties = properties;
        intents.onRecorded(this::wake);
    }

    @Override
    public synchronized void start() {
        running = true;
        AtomicInteger number = new AtomicInteger();
        threads = Executors.newFixedThreadPool(properties.intents().workers(), task -> {
            Thread thread = new Thread(task, "stripe-intent-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < properties.intents().workers(); i++) {
            Duration idleLook = i == 0 ? properties.intents().pollInterval()
                    : properties.intents().pollInterval().multipliedBy(IDLE_LOOKS_APART);
            threads.execute(() -> work(idleLook));
        }
        log.info("Stripe intent workers started: {}", properties.intents().workers());
    }

    private void work(Duration idleLook) {
        while (running) {
            try {
                List<StripeIntent> claimed = intents.claim(1, properties.intents().lease());
                if (claimed.isEmpty()) {
                    idle(idleLook);
                    continue;
                }
                wake();
                for (StripeIntent intent : claimed) {
                    runSafely(intent);
                }
            }
            catch (RuntimeException e) {
                log.warn("Claiming Stripe intents failed; trying again shortly", e);
                idle(properties.intents().pollInterval());
            }
        }
    }

    private void runSafely(StripeIntent intent) {
        // The saga's trace and correlation on every line this intent logs, the worker's own included.
        try (TraceContext.Continued trace = TraceContext.continuing(intent.traceparent());
                CorrelationScope scope = IntentRunner.scopeOf(intent)) {
            runOnce(intent);
        }
    }

    private void runOnce(StripeIntent intent) {
        try {
            runner.run(intent);
        }
        catch (RuntimeException unexpected) {
            // e.g. the database went away while recording: the intent stays PENDING and runs again, the same call.
            log.warn("Intent {} ({} of booking {}) could not finish", intent.id(), intent.kind(), intent.bookingId(), unexpected);
            try {
                int unrecorded = intents.countUnrecorded(intent);
                if (unrecorded >= MAX_UNRECORDABLE_ATTEMPTS) {
                    log.error("Intent {} ({} of booking {}) abandoned after {} attempts whose outcome could not be recorded",
                            intent.id(), intent.kind(), intent.bookingId(), unrecorded, unexpected);
                    runner.abandon(intent, unexpected.toString());
                    return;
                }
                runner.retryLater(intent, unexpected.toString());
            }
            catch (RuntimeException stillDown) {
                log.debug("Could not reschedule intent {}; its lease will run out", intent.id(), stillDown);
            }
        }
    }

    private void idle(Duration look) {
        try {
            // Woken or not, the worker looks again: a wake-up only makes it look sooner.
            wakeUps.tryAcquire(look.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Wakes one idle worker; wake-ups beyond the pool's size would only make idle workers query for nothing. */
    private void wake() {
        if (wakeUps.availablePermits() < properties.intents().workers()) {
            wakeUps.release();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        wakeUps.release(properties.intents().workers());
        if (threads != null) {
            threads.shutdown();
            try {
                if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("Stripe calls still in flight at shutdown; their leases run out and they are made again, the same calls");
                    threads.shutdownNow();
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
