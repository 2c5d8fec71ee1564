package dev.bookingplatform.testsupport;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Two calls released together by a barrier, the second a random few microseconds later (up to {@code maxSkew}): what
 * two replicas' schedulers do when their job comes due at once, made to happen rather than hoped for.
 */
public final class AtTheSameMoment {

    private AtTheSameMoment() {
    }

    /** Runs both at once; the answers in the order given, whichever finished first. */
    public static <T> List<T> run(Supplier<T> first, Supplier<T> second, java.time.Duration maxSkew, Random random) {
        long skew = random.nextLong(Math.max(1, maxSkew.toNanos()));
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<T> a = CompletableFuture.supplyAsync(() -> {
                await(together);
                return first.get();
            }, threads);
            CompletableFuture<T> b = CompletableFuture.supplyAsync(() -> {
                await(together);
                LockSupport.parkNanos(skew);
                return second.get();
            }, threads);
            return List.of(a.join(), b.join());
        }
        finally {
            threads.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
