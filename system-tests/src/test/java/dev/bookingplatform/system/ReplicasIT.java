package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.bookingplatform.events.Topics;
import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;
import dev.bookingplatform.localstack.system.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of every service, the second of each in a JVM of its own, sharing their service's database and
 * consumer group. A status stream on one booking replica hears changes the other one made; under a steady booking
 * load, with the second replica of every service killed with SIGKILL half-way, every saga ends right once, no unit
 * is oversold, and on every topic the relays' terms never interleave: one relay published per database at a time.
 */
// Four more JVMs to start and a consumer group's 45 s session timeout to wait out: about 3.5 minutes, so it runs under
// -Pchaos, beside the scenarios on the shared system.
@org.junit.jupiter.api.Tag("chaos")
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TheSecondLane.LOCK)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class ReplicasIT {

    private static final Logger log = LoggerFactory.getLogger(ReplicasIT.class);

    static final List<String> SERVICES = List.of("booking-service", "inventory-service", "payment-service", "notification-service");

    static SystemOfItsOwn own;

    static BookingSystem system;

    static PlatformClient client;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTwoReplicasOfEach() {
        own = SystemOfItsOwn.start(settings -> settings.withReplicas(2), log);
        system = own.system();
        client = new PlatformClient(system);
    }

    @AfterAll
    static void stop() {
        if (own != null) {
            own.close();
        }
    }

    @Test
    @Order(1)
    void aStreamOnOneReplicaHearsChangesTheOtherReplicaMade() throws Exception {
        RunningService.InJvm first = (RunningService.InJvm) system.booking();
        SmartLifecycle consumers = first.context().getBean("eventConsumer", SmartLifecycle.class);
        String resource = client.createResource("replica-stream", 1, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        String customer = "replica-stream-" + UUID.randomUUID();
        String token = client.customerToken(customer);
        // The first replica stops consuming: from here every saga step is the second replica's.
        consumers.stop();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !consumers.isRunning());
            UUID id = book(system.booking(), token, customer, resource, PlatformClient.freshSlot(), UUID.randomUUID().toString());
            try (StatusStreamIT.Subscription stream = subscribe(first, token, id)) {
                String session = client.awaitCheckoutSession(id);
                stream.awaitStatus("AWAITING_PAYMENT");
                client.pressPay(session);
                stream.awaitStatus("CONFIRMED");
                assertThat(stream.received).extracting(StatusStreamIT.Event::status)
                        .containsSubsequence("PENDING", "AWAITING_PAYMENT", "CONFIRMING", "CONFIRMED");
            }
        }
        finally {
            consumers.start();
        }
    }

    @Test
    @Order(2)
    void underLoadWithTheSecondReplicaOfEachKilledEverySagaEndsRightOnce() throws Exception {
        int bookings = 40;
        String resource = client.createResource("replica-load", bookings, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        Instant slot = PlatformClient.freshSlot();
        List<RunningService> bookingReplicas = system.replicas("booking-service");
        Map<UUID, String> booked = new ConcurrentHashMap<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService arrivals = Executors.newScheduledThreadPool(4);
        Instant began = Instant.now();
        try {
            // Open loop: four a second whatever the answers do, alternating between the two booking replicas.
            for (int i = 0; i < bookings; i++) {
                int n = i;
                arrivals.schedule(() -> {
                    try {
                        RunningService replica = bookingReplicas.get(n % 2);
                        if (replica instanceof ServiceProcess process && !process.isAlive()) {
                            replica = bookingReplicas.get(0);
                        }
                        String customer = "replica-load-" + n + "-" + UUID.randomUUID();
                        String token = client.customerToken(customer);
                        String key = UUID.randomUUID().toString();
                        UUID id;
                        try {
                            id = book(replica, token, customer, resource, slot, key);
                        }
                        catch (java.io.UncheckedIOException replicaDied) {
                            // What a gateway does when the replica it called dies mid-request: the same request, with
                            // the same Idempotency-Key, to another one. It may or may not have been taken: never twice.
                            id = book(bookingReplicas.get(0), token, customer, resource, slot, key);
                        }
                        booked.put(id, customer);
                    }
                    catch (Throwable failed) {
                        failures.add(failed);
                    }
                }, n * 250L, TimeUnit.MILLISECONDS);
            }
            // Half-way, once half the bookings were answered, the second replica of every service dies mid-work.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> booked.size() >= bookings / 2);
            for (String service : SERVICES) {
                ((ServiceProcess) system.replicas(service).get(1)).kill();
            }
            arrivals.shutdown();
            assertThat(arrivals.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            arrivals.shutdownNow();
        }
        assertThat(failures).as("bookings refused").isEmpty();
        assertThat(booked).hasSize(bookings);

        // Each customer pays once the checkout is there.
        Set<UUID> paid = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (UUID id : booked.keySet()) {
                if (!paid.contains(id)) {
                    String url = checkoutUrl(id);
                    if (url != null && client.pressPay(url.substring(url.lastIndexOf('/') + 1)).statusCode() == 200) {
                        paid.add(id);
                    }
                }
            }
            return paid.size() == bookings && confirmed(booked.keySet()) == bookings;
        });

        for (UUID id : booked.keySet()) {
            assertThat(PlatformClient.jdbc(system.booking()).sql("""
                    SELECT count(*) FROM booking_transition WHERE booking_id = ? AND to_status = 'CONFIRMED' AND accepted""")
                    .param(id).query(Long.class).single()).as("%s confirmed once", id).isEqualTo(1);
            assertThat(system.stripe().sessions().stream().filter(session -> id.toString().equals(session.metadata().get("bookingId"))))
                    .as("%s: one Stripe session", id).hasSize(1);
        }
        assertThat(client.taken(resource)).as("units held of a resource of %d", bookings).isEqualTo(bookings);
        await().atMost(Duration.ofSeconds(60)).until(() -> booked.values().stream()
                .allMatch(customer -> client.mailsTo(customer + "@example.com").size() == 1));
        assertThat(booked.values()).allSatisfy(customer -> assertThat(client.mailsTo(customer + "@example.com")).hasSize(1));

        for (String topic : List.of(Topics.BOOKING_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS)) {
            assertTermsNeverInterleave(topic);
        }
        List<Instant> confirmations = PlatformClient.jdbc(system.booking()).sql("""
                SELECT at FROM booking_transition WHERE to_status = 'CONFIRMED' AND accepted AND at >= ? ORDER BY at""")
                .param(Timestamp.from(began)).query(Timestamp.class).list().stream().map(Timestamp::toInstant).toList();
        Duration longestPause = Duration.ZERO;
        for (int i = 1; i < confirmations.size(); i++) {
            Duration pause = Duration.between(confirmations.get(i - 1), confirmations.get(i));
            longestPause = pause.compareTo(longestPause) > 0 ? pause : longestPause;
        }
        log.info("Two replicas, the second of each killed half-way: {} bookings confirmed once each; longest pause between"
                + " confirmations {} ms", bookings, longestPause.toMillis());
    }

    /**
     * Committed records of a topic, partition by partition in offset order: their relay terms only ever rise. Two
     * relays publishing at once would interleave their terms; a zombie's records after a new leader would be older.
     */
    private void assertTermsNeverInterleave(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<TopicPartition, List<Long>> terms = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header term = record.headers().lastHeader("relayTerm");
                    assertThat(term).as("%s@%d has a relay term", topic, record.offset()).isNotNull();
                    terms.computeIfAbsent(new TopicPartition(topic, record.partition()), key -> new ArrayList<>())
                            .add(Long.parseLong(new String(term.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        assertThat(terms).as("records on %s", topic).isNotEmpty();
        terms.forEach((partition, inOrder) -> assertThat(inOrder).as("relay terms on %s in offset order", partition).isSorted());
    }

    private UUID book(RunningService replica, String token, String customer, String resource, Instant slot, String idempotencyKey) {
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(replica.url() + "/api/bookings"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(PlatformClient.bookingJson(customer + "@example.com", resource, slot, 1, ""))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        return UUID.fromString(PlatformClient.JSON.readTree(created.body()).get("id").asString());
    }

    private StatusStreamIT.Subscription subscribe(RunningService replica, String token, UUID id) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(replica.url()
                + "/api/bookings/" + id + "/events")).header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        return new StatusStreamIT.Subscription(response);
    }

    private static String checkoutUrl(UUID id) {
        return PlatformClient.jdbc(system.booking()).sql("SELECT checkout_url FROM booking WHERE id = ? AND status = 'AWAITING_PAYMENT'")
                .param(id).query(String.class).optional().orElse(null);
    }

    private static long confirmed(Set<UUID> ids) {
        return PlatformClient.jdbc(system.booking()).sql("SELECT count(*) FROM booking WHERE status = 'CONFIRMED' AND id = ANY(?)")
                .param(ids.toArray(UUID[]::new)).query(Long.class).single();
    }
}
