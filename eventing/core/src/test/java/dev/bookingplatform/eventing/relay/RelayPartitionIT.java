package dev.bookingplatform.eventing.relay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.eventing.support.OutboxFixture;
import dev.bookingplatform.eventing.support.OutboxLoad;
import dev.bookingplatform.eventing.support.Sequences;
import dev.bookingplatform.eventing.support.TopicReader;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.kafka.EmbeddedKafkaBroker;
import dev.bookingplatform.testsupport.net.NetworkNamespace;
import dev.bookingplatform.testsupport.postgres.EmbeddedPostgresServer;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay leader cut off by a real network partition, while events keep coming: its JVM runs in a network
 * namespace whose link to PostgreSQL and Kafka silently drops every packet. Nothing tells it or the database that
 * it is gone; only the lock session's TCP keepalive ({@link RelayConnections}) lets PostgreSQL end the session and
 * free the lock. The standby must take over within that bound, the cut-off leader (alive all along: a zombie) must
 * never publish over it, the stored offset never moves back, and once the link heals the old leader is a healthy
 * standby that can lead again. In the {@code chaos} profile: the keepalive makes it last a minute and a half.
 */
@RealInfrastructure
@Tag("chaos")
@Timeout(600)
class RelayPartitionIT {

    /** A round a second of this many events fills the cut-off replication connection's send buffer, as a busy outbox would. */
    private static final int AGGREGATES = 100;

    /** Sequences 1-10 before the partition, 11-40 written across it (one round a second), 41-50 after the heal. */
    private static final int BEFORE = 10;

    private static final int ACROSS = 40;

    private static final int AFTER = 50;

    @Test
    void aPartitionedLeaderIsReplacedWithinTheKeepaliveAndNeverPublishesOverItsSuccessor(SchemaRegistry registry)
            throws Exception {
        assumeThat(NetworkNamespace.canCreate()).as("needs root and iproute2 to make a network namespace").isTrue();
        try (NetworkNamespace namespace = NetworkNamespace.create();
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startListeningAlsoOn(namespace.hostAddress(),
                        namespace.network());
                EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.startOn(namespace.hostAddress())) {
            PostgresDatabase database = postgres.createDatabase("partition");
            OutboxFixture outbox = new OutboxFixture(database, kafka, registry);
            List<UUID> aggregates = OutboxLoad.aggregates(AGGREGATES);
            Path zombieLog = Files.createTempFile("relay-in-namespace-", ".log");
            StoredOffsetWatch offsets = new StoredOffsetWatch(outbox);
            OutboxRelay successor = new OutboxRelay(outbox.relaySettings());
            WalsenderWatch walsender = new WalsenderWatch(outbox, namespace.insideAddress());
            Process zombie = startRelayInside(namespace, database, kafka, zombieLog);
            try (TopicReader reader = TopicReader.forKeys(kafka.bootstrapServers(), Topics.BOOKING_EVENTS,
                    OutboxRelayFailureIT.keys(aggregates))) {
                OutboxLoad.write(database, registry.url(), aggregates, 1, BEFORE, 2, 5);
                reader.awaitUntil(all -> Sequences.everyKeyReached(all, registry.url(), AGGREGATES, BEFORE),
                        Duration.ofSeconds(120));
                long zombieTerm = leaderTerm(outbox);
                assertThat(reader.poll()).as("published by the relay in the namespace (log %s)", zombieLog)
                        .extracting(LeaderTerms::of).containsOnly(zombieTerm);

                successor.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> successor.status().state() == RelayStatus.State.STANDBY);
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeOneRoundASecond(database,
                        registry, aggregates, BEFORE + 1, ACROSS));
                reader.awaitUntil(all -> Sequences.everyKeyReached(all, registry.url(), AGGREGATES, BEFORE + 2),
                        Duration.ofSeconds(60));

                namespace.partition();
                long cutAt = System.nanoTime();
                walsender.start();
                List<ConsumerRecord<String, byte[]>> takenOver = reader.awaitUntil(all -> all.stream()
                        .anyMatch(record -> LeaderTerms.of(record) > zombieTerm), Duration.ofSeconds(120));
                long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
                walsender.stop();
                assertThat(zombie.isAlive()).as("the cut-off relay runs on (log %s)", zombieLog).isTrue();
                // The case this test is for: the cut-off walsender stuck on a socket that no longer drains.
                assertThat(walsender.waitEventsSeen()).as("the cut-off walsender's wait events")
                        .containsAnyOf("WalSenderWriteData", "ClientWrite");
                long successorTerm = takenOver.stream().mapToLong(LeaderTerms::of).filter(term -> term > zombieTerm)
                        .min().orElseThrow();
                // The very next term: its first start streamed. A start that failed (the slot still held by the
                // cut-off relay's replication connection) lets go of the lock and takes it again in a new term,
                // about 13 s later.
                assertThat(successorTerm).as("the successor's term when it first published").isEqualTo(zombieTerm + 1);
                // The lock session's keepalive gives up after 25 s; a few seconds more to start streaming.
                assertThat(takeoverMillis).as("cut -> the successor's first record, ms").isLessThan(35_000);

                writing.get(180, TimeUnit.SECONDS);
                reader.awaitUntil(all -> Sequences.everyKeyReached(all, registry.url(), AGGREGATES, ACROSS),
                        Duration.ofSeconds(120));

                Timestamp healedAt = databaseNow(outbox);
                long healAt = System.nanoTime();
                namespace.heal();
                // Back as a standby: the old leader's relay opens a session again and keeps asking for the lock.
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                        .until(() -> sessionsOpenedSince(outbox, namespace.insideAddress(), healedAt) > 0);
                long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healAt);
                assertThat(successor.status().term()).as("the successor's term").isEqualTo(successorTerm);
                assertThat(leaderTerm(outbox)).as("the stored term").isEqualTo(successorTerm);

                // The successor goes: the relay that was cut off leads again, from where the successor stored it.
                successor.close();
                OutboxLoad.write(database, registry.url(), aggregates, ACROSS + 1, AFTER - ACROSS, 2, 5);
                List<ConsumerRecord<String, byte[]>> records = reader.awaitUntil(all -> Sequences.everyKeyReached(all,
                        registry.url(), AGGREGATES, AFTER), Duration.ofSeconds(120));
                long comebackTerm = leaderTerm(outbox);

                int total = AGGREGATES * AFTER;
                System.out.printf("Partition: the standby streamed %d ms after the cut; the cut-off relay was back as a"
                        + " standby %d ms after the heal, and led again in term %d; %d duplicates of %d events%n",
                        takeoverMillis, backMillis, comebackTerm, records.size() - total, total);
                assertThat(comebackTerm).isEqualTo(successorTerm + 1);
                assertThat(LeaderTerms.olderAfterNewer(records)).as("records of an older term visible after a newer one's")
                        .isEmpty();
                assertThat(records).extracting(LeaderTerms::of).contains(zombieTerm, successorTerm, comebackTerm);
                assertThat(Sequences.byAggregate(records, registry.url()).values()).allSatisfy(sequence ->
                        assertThat(Sequences.withoutRedeliveries(sequence)).isEqualTo(OutboxRelayFailureIT.oneTo(AFTER)));
                assertThat(Sequences.distinctEventIds(records)).hasSize(total);
            }
            finally {
                successor.close();
                walsender.stop();
                offsets.stop();
                zombie.destroyForcibly();
                zombie.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(offsets.wentBackwards()).as("the stored offset never moves backwards").isEmpty();
            assertThat(offsets.samples()).isGreaterThan(100);
        }
    }

    /**
     * The lock session cut off while PostgreSQL is sending to it (here: notifications, as any answer in flight would
     * be): unacknowledged data puts TCP into retransmission, where keepalive never runs, so without a bound on
     * unacknowledged data ({@code tcp_user_timeout}) the session, and the relay lock, would outlive the partition by
     * TCP's retries, about 15 minutes. The lock must be free within the keepalive's bound.
     */
    @Test
    void aLockSessionCutOffWhileTheServerIsSendingToItEndsWithinTheBound() throws Exception {
        assumeThat(NetworkNamespace.canCreate()).as("needs root and iproute2 to make a network namespace").isTrue();
        long lockKey = 0x70617274L;
        try (NetworkNamespace namespace = NetworkNamespace.create();
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startListeningAlsoOn(namespace.hostAddress(),
                        namespace.network())) {
            PostgresDatabase database = postgres.createDatabase("lock_partition");
            String url = "jdbc:postgresql://" + namespace.hostAddress() + ":" + database.port() + "/" + database.name();
            Path log = Files.createTempFile("lock-holder-", ".log");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process holder = new ProcessBuilder(namespace.inside(List.of(Path.of(System.getProperty("java.home"), "bin",
                    "java").toString(), "-XX:+UseSerialGC", "-cp", classpath, LockHolderMain.class.getName(), url,
                    database.username(), database.password(), "partition_test", Long.toString(lockKey))))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            java.util.concurrent.ScheduledExecutorService notifying = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            java.util.concurrent.atomic.AtomicInteger notified = new java.util.concurrent.atomic.AtomicInteger();
            try (Connection host = database.dataSource().getConnection()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !tryLock(host, lockKey));
                notifying.scheduleAtFixedRate(() -> {
                    try (Connection connection = database.dataSource().getConnection();
                            java.sql.Statement notify = connection.createStatement()) {
                        notify.execute("NOTIFY partition_test, '" + "x".repeat(200) + "'");
                        notified.incrementAndGet();
                    }
                    catch (Exception ex) {
                        // the next one
                    }
                }, 0, 10, TimeUnit.MILLISECONDS);
                // Let notifications flow, then cut while they still do.
                await().atMost(Duration.ofSeconds(30)).until(() -> notified.get() > 100);

                namespace.partition();
                long cutAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> tryLock(host, lockKey));
                long freedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
                System.out.printf("Partition with an answer in flight: the lock was free %d ms after the cut%n", freedMillis);
                assertThat(holder.isAlive()).as("the holder runs on (log %s)", log).isTrue();
                assertThat(freedMillis).as("cut -> lock free, ms").isLessThan(40_000);
            }
            finally {
                notifying.shutdownNow();
                holder.destroyForcibly();
                holder.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Takes and at once releases the lock if it is free: true if it was. */
    private static boolean tryLock(Connection connection, long key) throws Exception {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, key);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                if (!result.getBoolean(1)) {
                    return false;
                }
            }
        }
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, key);
            unlock.execute();
        }
        return true;
    }

    private static Process startRelayInside(NetworkNamespace namespace, PostgresDatabase database,
            EmbeddedKafkaBroker kafka, Path log) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = namespace.inside(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", classpath, RelayProcessMain.class.getName(), namespace.hostAddress(),
                Integer.toString(database.port()), database.name(), database.username(), kafka.bootstrapServers(),
                database.password()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A round (the next sequence number of every aggregate) each second: the partition falls mid-stream. */
    private static void writeOneRoundASecond(PostgresDatabase database, SchemaRegistry registry, List<UUID> aggregates,
            int from, int last) {
        try {
            for (int sequence = from; sequence <= last; sequence++) {
                long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                OutboxLoad.write(database, registry.url(), aggregates, sequence, 1, 2, 1);
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static long leaderTerm(OutboxFixture outbox) {
        return outbox.queryLong("SELECT term FROM relay_leader WHERE id = 1");
    }

    private static Timestamp databaseNow(OutboxFixture outbox) throws Exception {
        try (Connection connection = outbox.dataSource().getConnection();
                PreparedStatement now = connection.prepareStatement("SELECT now()");
                ResultSet result = now.executeQuery()) {
            result.next();
            return result.getTimestamp(1);
        }
    }

    private static int sessionsOpenedSince(OutboxFixture outbox, String clientAddress, Timestamp since) throws Exception {
        try (Connection connection = outbox.dataSource().getConnection();
                PreparedStatement sessions = connection.prepareStatement("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE client_addr = ?::inet AND backend_start > ? AND backend_type = 'client backend'""")) {
            sessions.setString(1, clientAddress);
            sessions.setTimestamp(2, since);
            try (ResultSet result = sessions.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }


    /** Samples, every 100 ms from its start, what the walsender of the namespace's relay waits on, as PostgreSQL says. */
    private static final class WalsenderWatch {

        private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private volatile boolean running = true;

        private final Thread thread;

        WalsenderWatch(OutboxFixture outbox, String clientAddress) {
            thread = new Thread(() -> {
                while (running) {
                    try (Connection connection = outbox.dataSource().getConnection();
                            PreparedStatement waits = connection.prepareStatement("""
                                    SELECT wait_event FROM pg_stat_activity
                                    WHERE backend_type = 'walsender' AND client_addr = ?::inet AND wait_event IS NOT NULL""")) {
                        waits.setString(1, clientAddress);
                        try (ResultSet result = waits.executeQuery()) {
                            while (result.next()) {
                                seen.add(result.getString(1));
                            }
                        }
                    }
                    catch (Exception ex) {
                        // this sample is skipped
                    }
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            }, "walsender-watch");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }

        Set<String> waitEventsSeen() {
            return Set.copyOf(seen);
        }
    }
}
