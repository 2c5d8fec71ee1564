package dev.bookingplatform.eventing.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.bookingplatform.eventing.retention.RetentionPurge;

/** Runs the retention purge every interval on a thread of its own; a failed run is logged and tried next time. */
final class RetentionJob implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final RetentionPurge purge;

    private final Duration interval;

    private ScheduledExecutorService executor;

    RetentionJob(RetentionPurge purge, Duration interval) {
        this.purge = purge;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "retention-purge");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::runQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runQuietly() {
        try {
            purge.run();
        }
        catch (RuntimeException ex) {
            log.warn("Retention purge failed; tried again in {}: {}", interval, ex.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    RetentionPurge purge() {
        return purge;
    }
}
