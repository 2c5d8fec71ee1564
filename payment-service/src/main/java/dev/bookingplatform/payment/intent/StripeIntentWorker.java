package dev.bookingplatform.payment.intent;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * carrying it out through {@link IntentRunner}. Idle workers look again every {@code pollInterval}, or at
 * once when a transaction that recorded an intent commits. The waiting for Stripe happens here, side by
 * side, never on a Kafka consumer thread and never inside a transaction.
 */
@Component
class StripeIntentWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StripeIntentWorker.class);

    /** Past this many attempts, an intent whose outcome keeps failing to record is a defect for ops, not an outage. */
    static final int MAX_UNRECORDABLE_ATTEMPTS = 50;

    private final StripeIntents intents;

    private final IntentRunner runner;

    private final StripeProperties properties;

    private final Object signal = new Object();

    private final AtomicInteger wakeUps = new AtomicInteger();

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
            threads.execute(this::work);
        }
        log.info("Stripe intent workers started: {}", properties.intents().workers());
    }

    private void work() {
        while (running) {
            try {
                List<StripeIntent> claimed = intents.claim(1, properties.intents().lease());
                if (claimed.isEmpty()) {
                    idle();
                    continue;
                }
                for (StripeIntent intent : claimed) {
                    runSafely(intent);
                }
            }
            catch (RuntimeException e) {
                log.warn("Claiming Stripe intents failed; trying again shortly", e);
                idle();
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

    private void idle() {
        synchronized (signal) {
            int seen = wakeUps.get();
            try {
                long deadline = System.nanoTime() + properties.intents().pollInterval().toNanos();
                while (running && wakeUps.get() == seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            wakeUps.incrementAndGet();
            signal.notifyAll();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        wake();
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
