package dev.bookingplatform.payment.reconciliation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.autoconfigure.OutboxRelayLifecycle;
import dev.bookingplatform.eventing.relay.RelayStatus;
import dev.bookingplatform.payment.PaymentServiceApplication;
import dev.bookingplatform.payment.intent.IntentKind;
import dev.bookingplatform.payment.intent.IntentPayloads;
import dev.bookingplatform.payment.intent.StripeIntents;
import dev.bookingplatform.stripesim.StripeLatency;
import dev.bookingplatform.stripesim.StripeSimulator;
import dev.bookingplatform.testsupport.AtTheSameMoment;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.spring.AnotherReplica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of payment-service (two application contexts on one database, each with its own pool of Stripe workers
 * and its own job lease holder) against the Stripe simulator, which answers after 50 ms as a real Stripe would take
 * its time. Checkout sessions and refunds recorded as intents are carried out by the workers of both replicas at
 * once, each exactly once: one session and one refund per booking at Stripe, no call repeated with its idempotency
 * key. Reconciliation started on both replicas at the same moment runs on one (the other finds the lease taken),
 * and every payment whose webhook was lost is applied once. The replica whose relay stands by is ready, as the
 * Kubernetes readiness probe asks it. Reproduce a failure with {@code -Dreplicas.seed=<seed>}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "spring.config.name=payment-service",
        "bookingplatform.stripe.api-key=sk_test_two_replicas", "bookingplatform.stripe.webhook-secrets=whsec_two_replicas",
        "bookingplatform.stripe.intents.workers=4", "bookingplatform.stripe.intents.poll-interval=50ms",
        "bookingplatform.stripe.reconciliation.interval=1h" })
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class PaymentJobsOnTwoReplicasIT {

    private static final StripeSimulator STRIPE = StripeSimulator.start(0, "whsec_two_replicas");

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("bookingplatform.stripe.api-base", () -> STRIPE.apiBase().toString());
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    StripeReconciliation reconciliation;

    @Autowired
    StripeIntents intents;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    private AnotherReplica second;

    private final long seed = Long.getLong("replicas.seed", System.nanoTime());

    private final Random random = new Random(seed);

    @BeforeAll
    void startTheSecondReplica() {
        System.out.println("PaymentJobsOnTwoReplicasIT seed: -Dreplicas.seed=" + seed);
        STRIPE.webhookEndpoint(URI.create("http://localhost:" + port + "/webhooks/stripe"));
        STRIPE.latency(StripeLatency.fixed(Duration.ofMillis(50)));
        second = AnotherReplica.of(context, PaymentServiceApplication.class);
    }

    @AfterAll
    void stopEverything() {
        if (second != null) {
            second.close();
        }
        STRIPE.close();
    }

    /** What the Kubernetes readiness probe asks: a replica whose relay stands by serves its API like the leader. */
    @Test
    void theReplicaWhoseRelayStandsByIsReadyToo() throws Exception {
        OutboxRelayLifecycle firstRelay = context.getBean(OutboxRelayLifecycle.class);
        OutboxRelayLifecycle secondRelay = second.bean(OutboxRelayLifecycle.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> Set.of(firstRelay.status().state(), secondRelay.status().state())
                .equals(Set.of(RelayStatus.State.RUNNING, RelayStatus.State.STANDBY)));
        HttpClient http = HttpClient.newHttpClient();
        for (int replica : List.of(port, second.port())) {
            HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + replica
                    + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).as("readiness of the replica on port %d: %s", replica, readiness.body()).isEqualTo(200);
            assertThat(readiness.body()).contains("\"status\":\"UP\"");
        }
    }

    @Test
    void theWorkersOfTwoReplicasOpenEachSessionAndRefundEachPaymentOnce() {
        int repeatedBefore = STRIPE.repeatedCalls();
        int refundsBefore = STRIPE.refunds().size();
        List<UUID> bookings = paidBookings(40 + random.nextInt(40), true);

        transactions.executeWithoutResult(tx -> bookings.forEach(id -> intents.record(id, IntentKind.REFUND, "refund-" + id + "-1",
                new IntentPayloads.Refund(1_000L, "EUR", "cancelled by the customer", 1))));
        await().atMost(Duration.ofSeconds(60)).until(() -> outboxCount(bookings, "PaymentRefunded") == bookings.size());

        assertThat(perBooking(bookings, "PaymentRefunded")).as("one PaymentRefunded each").containsOnly(1L);
        assertThat(STRIPE.refunds().size() - refundsBefore).as("one refund at Stripe each").isEqualTo(bookings.size());
        assertThat(STRIPE.repeatedCalls() - repeatedBefore).as("no Stripe call made twice").isZero();
        double byFirst = intentsRun(meters, IntentKind.REFUND);
        double bySecond = intentsRun(second.bean(MeterRegistry.class), IntentKind.REFUND);
        System.out.printf("PaymentJobsOnTwoReplicasIT: %d refunds, %.0f by the first replica's workers, %.0f by the second's%n",
                bookings.size(), byFirst, bySecond);
        assertThat(byFirst + bySecond).as("each refund intent run once").isEqualTo(bookings.size());
        assertThat(byFirst).as("the first replica's workers took part").isPositive();
        assertThat(bySecond).as("the second replica's workers took part").isPositive();
    }

    @Test
    void reconciliationStartedOnBothReplicasAtOnceRunsOnOneAndAppliesEachLostPaymentOnce() {
        StripeReconciliation other = second.bean(StripeReconciliation.class);
        List<UUID> all = new ArrayList<>();
        int leaseTaken = 0;
        STRIPE.dropWebhooks(true);
        try {
            for (int round = 0; round < 3; round++) {
                List<UUID> lost = paidBookings(10 + random.nextInt(20), false);
                all.addAll(lost);
                List<Integer> runs = AtTheSameMoment.run(reconciliation::run, other::run, Duration.ofMillis(2), random);
                String state = "round %d (seed %d): %d lost webhooks, runs answered %s".formatted(round, seed, lost.size(), runs);
                // One run applies them all; the other found the lease taken (-1) or, started after the first ended, nothing
                // left (0). Both applying some is two replicas reconciling at once.
                assertThat(runs).as(state + " (-1: the lease was taken)").containsOnlyOnce(lost.size()).allMatch(run -> run == lost.size()
                        || run <= 0);
                leaseTaken += runs.contains(-1) ? 1 : 0;
                assertThat(perBooking(lost, "PaymentSucceeded")).as(state).containsOnly(1L);
            }
        }
        finally {
            STRIPE.dropWebhooks(false);
        }
        assertThat(perBooking(all, "PaymentSucceeded")).containsOnly(1L);
        System.out.printf("PaymentJobsOnTwoReplicasIT: %d payments whose webhook was lost, each applied once by reconciliation;"
                + " in %d of 3 rounds the second replica found the lease taken%n", all.size(), leaseTaken);
        assertThat(leaseTaken).as("rounds in which the two runs met at the lease").isPositive();
    }

    /** Bookings with a Checkout Session opened by either replica's workers, and paid. */
    private List<UUID> paidBookings(int count, boolean webhooksArrive) {
        List<UUID> bookings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bookings.add(UUID.randomUUID());
        }
        int sessionsBefore = STRIPE.sessions().size();
        transactions.executeWithoutResult(tx -> bookings.forEach(id -> intents.record(id, IntentKind.CREATE_SESSION, "checkout-" + id,
                new IntentPayloads.OpenCheckout(1_000L, "EUR", "x@example.com", "X", "Two replicas", Instant.now().plusSeconds(3_600)))));
        await().atMost(Duration.ofSeconds(60)).until(() -> sessions(bookings).size() == bookings.size());
        assertThat(STRIPE.sessions().size() - sessionsBefore).as("one Checkout Session at Stripe each").isEqualTo(bookings.size());
        sessions(bookings).forEach(STRIPE::pay);
        if (webhooksArrive) {
            await().atMost(Duration.ofSeconds(60)).until(() -> outboxCount(bookings, "PaymentSucceeded") == bookings.size());
        }
        return bookings;
    }

    private List<String> sessions(List<UUID> bookings) {
        return jdbc.sql("SELECT session_id FROM payment_session WHERE booking_id = ANY (?)").param(bookings.toArray(UUID[]::new))
                .query(String.class).list();
    }

    private long outboxCount(List<UUID> bookings, String type) {
        return jdbc.sql("SELECT count(*) FROM outbox_event WHERE event_type = ? AND aggregate_id = ANY (?)")
                .params(type, bookings.stream().map(UUID::toString).toArray(String[]::new)).query(Long.class).single();
    }

    private List<Long> perBooking(List<UUID> bookings, String type) {
        return bookings.stream().map(id -> jdbc.sql("SELECT count(*) FROM outbox_event WHERE event_type = ? AND aggregate_id = ?")
                .params(type, id.toString()).query(Long.class).single()).toList();
    }

    private static double intentsRun(MeterRegistry registry, IntentKind kind) {
        return registry.find("payment.stripe.intents").tag("kind", kind.name()).timers().stream().mapToLong(Timer::count).sum();
    }
}
