package dev.bookingplatform.eventing.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

/**
 * Inserts outbox rows from several connections, one row per transaction, at a target rate (0: flat out),
 * remembering when each commit returned.
 */
final class LoadWriter {

    private static final String INSERT = """
            INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, correlation_id, occurred_at)
            VALUES (?, ?, ?, 'BookingRequested', ?, 'bench', now())""";

    private LoadWriter() {
    }

    /** @return commit time (System.nanoTime) by event id */
    static Map<String, Long> write(PostgresDatabase database, String aggregateType, int events, int ratePerSecond,
            int writers, byte[] payload) throws Exception {
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
                        PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    for (int i = writer; i < events; i += writers) {
                        if (ratePerSecond > 0) {
                            // Pacing the load generator to the target rate.
                            long due = start + (long) i * 1_000_000_000L / ratePerSecond;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                        }
                        UUID id = UUID.randomUUID();
                        insert.setObject(1, id);
                        insert.setString(2, aggregateType);
                        insert.setString(3, "aggregate-" + (i % 100));
                        insert.setBytes(4, payload);
                        insert.executeUpdate();
                        committedAt.put(id.toString(), System.nanoTime());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        return committedAt;
    }

}
