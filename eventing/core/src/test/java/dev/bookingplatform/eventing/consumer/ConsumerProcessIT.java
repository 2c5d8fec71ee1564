package dev.bookingplatform.eventing.consumer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.bookingplatform.eventing.schema.EventingSchema;
import dev.bookingplatform.eventing.support.TestEvents;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.serde.AvroEventSerializer;
import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumers in JVMs of their own: killed between the database commit and the offset commit, and two of one group
 * rebalancing mid-stream. Each event must be applied once, each booking's events in order.
 */
@RealInfrastructure
@Timeout(300)
class ConsumerProcessIT {

    private static final int BOOKINGS = 12;

    private PostgresDatabase database;

    private JdbcTemplate jdbc;

    private KafkaBroker kafka;

    private SchemaRegistry registry;

    private final String topic = "consumer-process-" + UUID.randomUUID() + ".events";

    private final String group = "process-group-" + UUID.randomUUID();

    private final List<UUID> bookings = new ArrayList<>();

    private final List<UUID> eventIds = new ArrayList<>();

    private int nextSequence = 1;

    @BeforeEach
    void setUp(KafkaBroker kafka, SchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
        this.database = Infrastructure.postgres().createDatabase("consumer_process");
        DataSource dataSource = database.dataSource();
        EventingSchema.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE applied (applied_seq bigserial PRIMARY KEY, event_id uuid NOT NULL, booking_id uuid NOT NULL,"
                + " quantity int NOT NULL, consumer text NOT NULL)");
        for (int i = 0; i < BOOKINGS; i++) {
            bookings.add(UUID.randomUUID());
        }
        // Before any consumer subscribes: one that finds no topic may not look again for minutes.
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not create " + topic, ex);
        }
    }

    @Test
    void killedAfterItsDatabaseCommitAndBeforeItsOffsetCommitEachEventIsAppliedOnce() throws Exception {
        // One kill in ./mvnw verify, three in a row under -Pchaos.
        int kills = Integer.getInteger("bookingplatform.chaos.scale", 1) > 1 ? 3 : 1;
        long seed = System.nanoTime();
        System.out.println("ConsumerProcessIT seed: " + seed);
        produceRound(10);
        List<UUID> haltAfter = new ArrayList<>(eventIds);
        java.util.Collections.shuffle(haltAfter, new Random(seed));
        haltAfter = haltAfter.subList(0, kills);

        int halts = 0;
        for (int run = 1; halts < kills && run <= 2 * kills; run++) {
            Process consumer = start("run-" + run, haltAfter, "crash-member");
            if (consumer.waitFor(120, TimeUnit.SECONDS)) {
                assertThat(consumer.exitValue()).as("it halted at the hook").isEqualTo(ConsumerProcessMain.HALTED);
                halts++;
            }
            else {
                consumer.destroyForcibly().waitFor();
                throw new AssertionError("run " + run + " did not reach a hook within 2 minutes");
            }
        }
        assertThat(halts).isEqualTo(kills);

        Process last = start("final", List.of(), "crash-member");
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> appliedCount() >= eventIds.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> appliedCount() == eventIds.size());
        }
        finally {
            last.destroyForcibly().waitFor();
        }
        assertEachEventAppliedOnceAndInOrder();
        // Each halted event was committed before the halt and redelivered after it: the inbox refused the second time.
        for (UUID halted : haltAfter) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM applied WHERE event_id = ?", Long.class, halted)).isEqualTo(1);
        }
    }

    @Test
    void twoConsumerJvmsInOneGroupRebalancingMidStreamApplyEachEventOnceInOrder() throws Exception {
        Process first = start("first", List.of(), "-");
        Process second = null;
        try {
            produceRound(5);
            await().atMost(Duration.ofSeconds(120)).until(() -> appliedCount() >= 30);

            second = start("second", List.of(), "-");
            // A real rebalance: the group goes from one member to two while events keep coming.
            produceRound(2);
            await().atMost(Duration.ofSeconds(90)).until(() -> members() == 2);
            for (int round = 0; round < 20 && appliedBy("second") == 0; round++) {
                produceRound(1);
                await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount() == eventIds.size());
            }
            assertThat(appliedBy("second")).as("the second JVM took partitions over").isPositive();

            // The first dies mid-stream (SIGKILL, no clean leave): its partitions move to the second, which
            // gets again what the first applied but had not committed; the inbox drops those.
            produceRound(3);
            first.destroyForcibly();
            produceRound(5);
            await().atMost(Duration.ofSeconds(120)).until(() -> appliedCount() >= eventIds.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> appliedCount() == eventIds.size());
        }
        finally {
            first.destroyForcibly().waitFor();
            if (second != null) {
                second.destroyForcibly().waitFor();
            }
        }
        assertThat(appliedBy("first")).isPositive();
        assertEachEventAppliedOnceAndInOrder();
    }

    @Test
    void itsDatabaseAwayUnderLoadIsWaitedOutWithNothingDeadLettered() throws Exception {
        Duration outage = Duration.ofSeconds(Integer.getInteger("bookingplatform.chaos.scale", 1) > 1 ? 60 : 15);
        try (dev.bookingplatform.testsupport.net.TcpProxy proxy = dev.bookingplatform.testsupport.net.TcpProxy.to(database.host(),
                database.port())) {
            Process consumer = start("outage", List.of(), "-", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database.name());
            java.util.concurrent.ScheduledExecutorService load = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try {
                // Open-loop load: a round of events (12/s) every second whatever the consumer does. Within what one
                // consumer JVM applies on this machine (about 25-30 events/s, a transaction each), so a backlog built
                // up during the outage can be caught up; at 48/s the backlog only grew, outage or not.
                load.scheduleAtFixedRate(() -> produceRound(1), 0, 1, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(90)).until(() -> appliedCount() >= 5L * BOOKINGS);
                proxy.cut();
                long appliedAtCut = appliedCount();
                await().during(outage).atMost(outage.plusSeconds(10)).until(() -> appliedCount() == appliedAtCut);
                proxy.restore();
                await().atMost(Duration.ofSeconds(30)).until(() -> appliedCount() > appliedAtCut);
                load.shutdown();
                assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                System.out.printf("Database away %d s under load: %d events produced, %d applied before the cut%n",
                        outage.toSeconds(), eventIds.size(), appliedAtCut);
                await().atMost(Duration.ofSeconds(120)).until(() -> appliedCount() >= eventIds.size());
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> appliedCount() == eventIds.size());
            }
            finally {
                load.shutdownNow();
                consumer.destroyForcibly().waitFor();
            }
        }
        assertThat(deadLetters()).as("no good event is parked").isZero();
        assertEachEventAppliedOnceAndInOrder();
    }

    private long deadLetters() throws Exception {
        String deadLetterTopic = dev.bookingplatform.events.Topics.deadLetterTopic(topic, group);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(deadLetterTopic)) {
                return 0;
            }
            var partitions = admin.describeTopics(List.of(deadLetterTopic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(deadLetterTopic).partitions().stream()
                    .collect(Collectors.toMap(info -> new org.apache.kafka.common.TopicPartition(deadLetterTopic, info.partition()),
                            info -> org.apache.kafka.clients.admin.OffsetSpec.latest()));
            return admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    private void assertEachEventAppliedOnceAndInOrder() {
        Map<UUID, Long> perEvent = jdbc.query("SELECT event_id, count(*) FROM applied GROUP BY event_id",
                (row, n) -> Map.entry(UUID.fromString(row.getString(1)), row.getLong(2)))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(eventIds);
        assertThat(perEvent.values()).allMatch(count -> count == 1);
        for (UUID booking : bookings) {
            List<Integer> order = jdbc.queryForList("SELECT quantity FROM applied WHERE booking_id = ? ORDER BY applied_seq",
                    Integer.class, booking);
            assertThat(order).as("booking %s applied in order", booking)
                    .isEqualTo(java.util.stream.IntStream.range(1, nextSequence).boxed().toList());
        }
    }

    /** One event per booking per round, numbered in order. */
    private synchronized void produceRound(int rounds) {
        AvroEventSerializer serializer = new AvroEventSerializer(new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url())));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int r = 0; r < rounds; r++) {
                int sequence = nextSequence++;
                for (UUID booking : bookings) {
                    BookingRequested event = TestEvents.bookingRequested(booking, sequence);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes(booking.toString()),
                            serializer.serialize(topic, event));
                    record.headers().add("eventId", bytes(event.getMetadata().getEventId().toString()));
                    producer.send(record);
                    eventIds.add(event.getMetadata().getEventId());
                }
            }
            producer.flush();
        }
    }

    private long members() {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members().size();
        }
        catch (Exception ex) {
            return -1;
        }
    }

    private Process start(String name, List<UUID> haltAfter, String staticMember) throws Exception {
        return start(name, haltAfter, staticMember,
                "jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + database.name());
    }

    private Process start(String name, List<UUID> haltAfter, String staticMember, String jdbcUrl) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Files.createTempFile("consumer-process-" + name + "-", ".log");
        String halts = haltAfter.isEmpty() ? "-" : haltAfter.stream().map(UUID::toString).collect(Collectors.joining(","));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", classpath, ConsumerProcessMain.class.getName(), kafka.bootstrapServers(), registry.url(), jdbcUrl,
                database.username(), database.password(), topic, group, name, halts, staticMember)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private long appliedCount() {
        return jdbc.queryForObject("SELECT count(*) FROM applied", Long.class);
    }

    private long appliedBy(String consumer) {
        return jdbc.queryForObject("SELECT count(*) FROM applied WHERE consumer = ?", Long.class, consumer);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
