package dev.bookingplatform.testsupport.junit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The listener registered through {@code META-INF/services} is what makes this wait survive the other thread's end. */
class AwaitilityLeavesOtherThreadsAloneTest {

    @Test
    void aThreadDyingOfAnUncaughtExceptionDoesNotFailAnUnrelatedWait() {
        Thread dying = new Thread(() -> {
            throw new IllegalStateException("an unrelated thread dies of this, uncaught (expected in this test's output)");
        }, "dies-uncaught");
        AtomicBoolean started = new AtomicBoolean();
        AtomicInteger pollsAfterItDied = new AtomicInteger();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (started.compareAndSet(false, true)) {
                dying.start();
            }
            return !dying.isAlive() && pollsAfterItDied.incrementAndGet() > 3;
        });

        assertThat(pollsAfterItDied).hasValueGreaterThan(3);
    }
}
