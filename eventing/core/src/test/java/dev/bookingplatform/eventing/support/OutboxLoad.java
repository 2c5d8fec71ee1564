package dev.bookingplatform.eventing.support;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.serde.AvroEventSerializer;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

/**
 * Writes {@code eventsPerAggregate} events for each aggregate from several writer connections, in
 * transactions of one to {@code maxBatch} rows. Each aggregate belongs to one writer, so its sequence
 * numbers (1, 2, 3, ...) are committed in order.
 */
public final class OutboxLoad {

    private OutboxLoad() {
    }

    public static List<UUID> aggregates(int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }

    public static void write(PostgresDatabase database, String registryUrl, List<UUID> aggregates,
            int eventsPerAggregate, int writers, int maxBatch) throws Exception {
        write(database, registryUrl, aggregates, 1, eventsPerAggregate, writers, maxBatch);
    }

    /** As above, numbering each aggregate's events from {@code firstSequence}. */
    public static void write(PostgresDatabase database, String registryUrl, List<UUID> aggregates, int firstSequence,
            int eventsPerAggregate, int writers, int maxBatch) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                List<UUID> mine = new ArrayList<>();
                for (int i = w; i < aggregates.size(); i += writers) {
                    mine.add(aggregates.get(i));
                }
                done.add(pool.submit(() -> {
                    writeSequentially(database, registryUrl, mine, firstSequence, eventsPerAggregate, maxBatch);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        finally {
            pool.shutdown();
        }
    }

    private static void writeSequentially(PostgresDatabase database, String registryUrl, List<UUID> aggregates,
            int firstSequence, int eventsPerAggregate, int maxBatch) {
        SingleConnectionDataSource connection = new SingleConnectionDataSource(database.jdbcUrl(), database.username(),
                database.password(), true);
        try {
            OutboxWriter writer = new OutboxWriter(connection,
                    new AvroEventSerializer(new RestSchemaRegistryClient(SchemaRegistrySettings.of(registryUrl))));
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
            int last = firstSequence - 1 + eventsPerAggregate;
            int[] next = new int[aggregates.size()];
            java.util.Arrays.fill(next, firstSequence - 1);
            int remaining = aggregates.size() * eventsPerAggregate;
            while (remaining > 0) {
                int batch = Math.min(remaining, 1 + ThreadLocalRandom.current().nextInt(maxBatch));
                int written = transactions.execute(status -> {
                    int count = 0;
                    for (int i = 0; i < batch; i++) {
                        int slot = ThreadLocalRandom.current().nextInt(aggregates.size());
                        // Pick the next aggregate that still has events to write, round robin from a random start.
                        for (int probe = 0; probe < aggregates.size(); probe++) {
                            int candidate = (slot + probe) % aggregates.size();
                            if (next[candidate] < last) {
                                next[candidate]++;
                                UUID id = aggregates.get(candidate);
                                writer.append(id.toString(), TestEvents.bookingRequested(id, next[candidate]));
                                count++;
                                break;
                            }
                        }
                    }
                    return count;
                });
                remaining -= written;
            }
        }
        finally {
            connection.destroy();
        }
    }
}
