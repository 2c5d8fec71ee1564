package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.events.Topics;
import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;
import dev.bookingplatform.localstack.system.ServiceProcess;
import dev.bookingplatform.stripesim.CheckoutSession;
import dev.bookingplatform.stripesim.Refund;
import dev.bookingplatform.web.security.Scopes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling upgrade of booking-service, half-way: the release before its newest migration (built from git by
 * {@link PreviousRelease}) and this release run side by side on one database, migrated by this release, and in one
 * consumer group, as while a Deployment replaces its pods one by one. Bookings are made on one version, paid (the
 * payment recorded by whichever version holds the booking's partition), confirmed (the confirmation, with the payment
 * reference, announced by whichever version holds it then) and cancelled on the other version. Every booking ends
 * cancelled with one full refund of its own payment at Stripe; each confirmation mail names the payment Stripe took;
 * both versions answer every booking alike and call every one paid when ops ask. Migration V8 renames a column by
 * expand and contract; without its trigger, a payment recorded by one version is invisible to the other, whose
 * consistency facts then call a paid booking unpaid.
 */
// A build of the previous release (about two minutes, once; kept in target) and a second booking-service JVM: -Pchaos.
@Tag("chaos")
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TheSecondLane.LOCK)
@Timeout(1200)
class RollingUpgradeIT {

    private static final Logger log = LoggerFactory.getLogger(RollingUpgradeIT.class);

    private static final int BOOKINGS = 24;

    static SystemOfItsOwn own;

    static BookingSystem system;

    static ServiceProcess previous;

    static PlatformClient client;

    static String previousCommit;

    @BeforeAll
    static void startBothVersions() throws Exception {
        Path migration = PreviousRelease.newestMigration("booking-service");
        previousCommit = PreviousRelease.commitBefore(migration);
        Path jar = PreviousRelease.executableJar("booking-service", previousCommit);
        log.info("Previous release of booking-service: {} (before {}), {}", previousCommit, migration.getFileName(), jar);
        own = SystemOfItsOwn.start(settings -> settings, log);
        system = own.system();
        previous = system.startAnotherVersion("booking-service", jar);
        client = new PlatformClient(system);
    }

    @AfterAll
    static void stop() {
        if (own != null) {
            own.close();
        }
    }

    @Test
    void bookingsPaidOnOneVersionAndCancelledOnTheOtherAreRefundedRight() throws Exception {
        awaitBothVersionsConsumePayments();
        List<RunningService> versions = List.of(system.booking(), previous);
        String resource = client.createResource("rolling", BOOKINGS, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        Instant slot = PlatformClient.freshSlot();
        Map<UUID, String> customers = new HashMap<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < BOOKINGS; i++) {
            String customer = "rolling-" + i + "-" + UUID.randomUUID();
            UUID id = book(versions.get(i % 2), customer, resource, slot);
            customers.put(id, customer);
            ids.add(id);
        }
        for (UUID id : ids) {
            String url = await().atMost(Duration.ofSeconds(120)).until(() -> checkoutUrl(id), java.util.Objects::nonNull);
            assertThat(client.pressPay(url.substring(url.lastIndexOf('/') + 1)).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(180)).until(() -> count(ids, "CONFIRMED") == BOOKINGS);

        for (int i = 0; i < BOOKINGS; i++) {
            UUID id = ids.get(i);
            RunningService other = versions.get((i + 1) % 2);
            HttpResponse<String> cancelled = client.send(HttpRequest.newBuilder(URI.create(other.url() + "/api/bookings/" + id + "/cancel"))
                    .header("Authorization", "Bearer " + client.customerToken(customers.get(id)))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(cancelled.statusCode()).as("cancel %s on the other version: %s", id, cancelled.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(180)).until(() -> count(ids, "CANCELLED") == BOOKINGS);

        // What the consistency monitor asks each replica: both versions must call every one of these bookings paid.
        String opsToken = system.tokens().issue("rolling-ops", Duration.ofMinutes(10), Scopes.OPS);
        String asked = ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "{\"bookingIds\":[", "]}"));
        for (RunningService version : versions) {
            HttpResponse<String> facts = client.send(HttpRequest.newBuilder(URI.create(version.url() + "/ops/consistency/bookings"))
                    .header("Authorization", "Bearer " + opsToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(asked)));
            assertThat(facts.statusCode()).as(facts.body()).isEqualTo(200);
            List<Boolean> paid = new ArrayList<>();
            PlatformClient.JSON.readTree(facts.body()).get("bookings").forEach(booking -> paid.add(booking.get("paid").asBoolean()));
            assertThat(paid).as("paid, as the version on port %d sees them", version.url().getPort()).hasSize(BOOKINGS).containsOnly(true);
        }

        Set<String> bookingIds = ids.stream().map(UUID::toString).collect(Collectors.toSet());
        Map<String, String> paymentIntentByBooking = system.stripe().sessions().stream()
                .filter(session -> bookingIds.contains(session.metadata().get("bookingId")))
                .collect(Collectors.toMap(session -> session.metadata().get("bookingId"), CheckoutSession::paymentIntent));
        Map<String, List<Refund>> refundsByPayment = system.stripe().refunds().stream()
                .collect(Collectors.groupingBy(Refund::paymentIntent));
        for (UUID id : ids) {
            String paymentIntent = paymentIntentByBooking.get(id.toString());
            assertThat(paymentIntent).as("%s paid at Stripe", id).isNotNull();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(confirmations(customers.get(id)))
                    .as("%s's confirmation mail", id).singleElement().asString().contains("Payment reference: " + paymentIntent));
            Map<String, Object> row = PlatformClient.jdbc(system.booking())
                    .sql("SELECT payment_intent_id, payment_reference, refund_id, status, total_minor FROM booking WHERE id = ?")
                    .param(id).query().singleRow();
            assertThat(refundsByPayment.get(paymentIntent)).as("refunds of %s's payment", id).hasSize(1)
                    .allSatisfy(refund -> assertThat(refund.amount()).isEqualTo(((Number) row.get("total_minor")).longValue()));
            assertThat(row).as("%s in the database both versions share", id).containsEntry("payment_intent_id", paymentIntent)
                    .containsEntry("payment_reference", paymentIntent).containsEntry("status", "CANCELLED");
            assertThat(row.get("refund_id")).isNotNull();
            for (RunningService version : versions) {
                HttpResponse<String> read = client.send(HttpRequest.newBuilder(URI.create(version.url() + "/api/bookings/" + id))
                        .header("Authorization", "Bearer " + client.customerToken(customers.get(id))));
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(PlatformClient.JSON.readTree(read.body()).get("status").asString()).isEqualTo("CANCELLED");
            }
        }
        awaitBothVersionsConsumePayments();
        log.info("Rolling upgrade: {} bookings made, paid and cancelled across {} and this release, each refunded once",
                BOOKINGS, previousCommit.substring(0, 12));
    }

    /** Both versions are members of booking-service's group, each reading some of payment-service's partitions. */
    private static void awaitBothVersionsConsumePayments() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrapServers()))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                var group = admin.describeConsumerGroups(List.of("booking-service")).all().get().get("booking-service");
                long reading = group.members().stream().map(MemberDescription::assignment)
                        .filter(assignment -> assignment.topicPartitions().stream()
                                .anyMatch(partition -> partition.topic().equals(Topics.PAYMENT_EVENTS)))
                        .count();
                return group.members().size() == 2 && reading == 2;
            });
        }
    }

    private static UUID book(RunningService version, String customer, String resource, Instant slot) {
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(version.url() + "/api/bookings"))
                .header("Authorization", "Bearer " + client.customerToken(customer)).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(PlatformClient.bookingJson(customer + "@example.com", resource, slot, 1, ""))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        return UUID.fromString(PlatformClient.JSON.readTree(created.body()).get("id").asString());
    }

    private static List<String> confirmations(String customer) throws Exception {
        List<String> confirmations = new ArrayList<>();
        for (jakarta.mail.internet.MimeMessage mail : client.mailsTo(customer + "@example.com")) {
            if (mail.getSubject().startsWith("Booking confirmed")) {
                confirmations.add(mail.getContent().toString());
            }
        }
        return confirmations;
    }

    private static String checkoutUrl(UUID id) {
        return PlatformClient.jdbc(system.booking()).sql("SELECT checkout_url FROM booking WHERE id = ? AND status = 'AWAITING_PAYMENT'")
                .param(id).query(String.class).optional().orElse(null);
    }

    private static long count(List<UUID> ids, String status) {
        return PlatformClient.jdbc(system.booking()).sql("SELECT count(*) FROM booking WHERE status = ? AND id = ANY(?)")
                .params(status, ids.toArray(UUID[]::new)).query(Long.class).single();
    }
}
