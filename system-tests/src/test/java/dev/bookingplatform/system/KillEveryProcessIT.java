package dev.bookingplatform.system;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.ServiceProcess;
import dev.bookingplatform.stripesim.CheckoutSession;
import dev.bookingplatform.stripesim.Refund;
import dev.bookingplatform.system.benchmark.PayingCustomers;
import dev.bookingplatform.testsupport.kafka.KafkaBrokerProcess;
import dev.bookingplatform.web.security.Scopes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos suite of separate processes. The Kafka broker and each service run in a JVM of their own
 * ({@link SeparateProcesses}). Bookings arrive at a steady rate through a gateway that retries with the same
 * idempotency key on the other replica; customers pay as soon as their checkout page exists; one in five cancels
 * once confirmed (a refund); one in five competes for one of a few slots of two places (sold out, rejected).
 *
 * <p>Each process is killed with SIGKILL, stays dead while requests arrive, and is started again: once each in
 * {@code ./mvnw verify} (1 booking a second; booking-service's one replica is its relay leader too), five times
 * each under {@code -Pchaos} (2 a second; booking-service runs twice, and its relay leader and its other replica are
 * killed apart). After each kill every booking accepted before it must settle. At the end every accepted booking has
 * ended right: each paid one confirmed once and charged once, each cancelled one refunded once, no place sold twice,
 * each e-mail sent once, nothing dead-lettered. The report (duplicates the inboxes skipped, recovery times) goes to
 * the log and to {@code target/kill-every-process-report.md}.
 */
// Its broker, services and databases are its own (shared with PaymentCrashIT, never at the same time), so it runs
// beside the scenarios on the shared system.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TheSecondLane.LOCK)
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class KillEveryProcessIT {

    private static final Logger log = LoggerFactory.getLogger(KillEveryProcessIT.class);

    /** How often each process is killed: 1 in {@code ./mvnw verify}, 5 under {@code -Pchaos}. */
    static final int KILLS = Integer.getInteger("bookingplatform.chaos.kills", 1);

    static final int BOOKINGS_PER_SECOND = Integer.getInteger("bookingplatform.chaos.bookings-per-second", KILLS > 1 ? 2 : 1);

    static final long SEED = Long.getLong("bookingplatform.chaos.seed", System.nanoTime());

    /** How long each process stays dead, in requests that arrive meanwhile. */
    static final int REQUESTS_WHILE_DEAD = 3 * BOOKINGS_PER_SECOND;

    static final boolean SETTLE_BEFORE_NEXT_KILL = KILLS > 1;

    static final int HOT_SLOTS = 3;

    static final int PLACES_PER_SLOT = 2;

    static KafkaBrokerProcess broker;

    static BookingSystem system;

    static PlatformClient client;

    @BeforeAll
    static void startEveryPartInItsOwnJvm() {
        system = SeparateProcesses.system();
        broker = SeparateProcesses.broker();
        if (KILLS > 1 && system.replicas("booking-service").size() == 1) {
            // The long run kills booking-service's relay leader apart from its other replica: a standby takes over.
            system.startAnotherReplica("booking-service");
        }
        system.stripe().responseDelay(Duration.ZERO);
        client = new PlatformClient(system);
        duplicatesBefore = duplicatesDropped();
        deadLettersBefore = deadLetters();
    }

    @AfterAll
    static void done() {
        SeparateProcesses.doneWith(KillEveryProcessIT.class);
    }

    /** What the inboxes had skipped before this test (the system is shared with PaymentCrashIT). */
    static Map<String, Integer> duplicatesBefore;

    static Map<String, Long> deadLettersBefore;

    /** What the customer of the n-th request does; drawn from the seed, so a failure replays. */
    record Customer(int request, Instant slot, boolean hotSlot, boolean cancelsOnceConfirmed) {

        static Customer of(int request, Instant firstSlot) {
            Random random = new Random(SEED * 31 + request);
            boolean hot = random.nextInt(5) == 0;
            Instant slot = firstSlot.plus(Duration.ofHours(hot ? random.nextInt(HOT_SLOTS) : HOT_SLOTS + request));
            return new Customer(request, slot, hot, random.nextInt(5) == 0);
        }

        String email() {
            return "chaos-" + SEED + "-" + request + "@example.com";
        }
    }

    /** One kill: what, when, and how long until it answered again and the bookings it caught had settled. */
    record Kill(int round, String target, long pid, int unsettledAtKill, Duration untilReady, Duration untilSettled) {
    }

    /** A process to kill: which one it is is decided at the moment of the kill (the relay's leader moves). */
    record Target(String name, java.util.function.Supplier<Victim> pick) {
    }

    record Victim(long pid, Runnable kill, Runnable restart) {

        static Victim of(ServiceProcess service) {
            return new Victim(service.pid(), service::kill, service::restart);
        }
    }

    @Test
    void everyProcessKilledUnderLoadEveryBookingEndsRightAndNothingHappensTwice() throws Exception {
        List<CompletableFuture<Kill>> killed = new CopyOnWriteArrayList<>();
        AtomicReference<SteadyBookings> load = new AtomicReference<>();
        try {
            run(killed, load);
        }
        catch (Throwable failed) {
            // What happened up to the failure, for whoever reads the failed run's report.
            SteadyBookings gateway = load.get();
            String why = String.valueOf(failed);
            try {
                writeReport("**Failed**: " + (why.length() > 2_000 ? why.substring(0, 2_000) + " ..." : why) + "\n\n"
                        + (gateway == null ? "" : report(finished(killed), gateway, gateway.accepted().size(), null)));
            }
            catch (Exception reportFailed) {
                failed.addSuppressed(reportFailed);
            }
            throw failed;
        }
    }

    private void run(List<CompletableFuture<Kill>> killed, AtomicReference<SteadyBookings> load) throws Exception {
        log.info("Chaos seed {} (replay with -Dbookingplatform.chaos.seed={}), {} kill(s) of each process, {} bookings/s", SEED, SEED,
                KILLS, BOOKINGS_PER_SECOND);
        String resource = client.createResource("chaos-processes", PLACES_PER_SLOT, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        Instant firstSlot = PlatformClient.freshSlot();
        List<ServiceProcess> bookingReplicas = system.replicas("booking-service").stream().map(ServiceProcess.class::cast).toList();
        String gatewayToken = system.tokens().issue("chaos-gateway", Duration.ofHours(2), Scopes.BOOKINGS_WRITE, Scopes.BOOKINGS_READ);
        Map<UUID, Customer> customers = new ConcurrentHashMap<>();
        SteadyBookings gateway = new SteadyBookings(() -> bookingReplicas.stream().map(ServiceProcess::url).toList(), gatewayToken,
                request -> {
                    Customer customer = Customer.of(request, firstSlot);
                    return PlatformClient.bookingJson(customer.email(), resource, customer.slot(), 1, "");
                });
        load.set(gateway);
        ScheduledExecutorService following = Executors.newSingleThreadScheduledExecutor();
        ExecutorService watching = Executors.newCachedThreadPool();
        try (gateway;
                PayingCustomers paying = new PayingCustomers(system.booking().dataSource(), system.stripe());
                CancellingCustomers cancelling = new CancellingCustomers(bookingReplicas, gatewayToken)) {
            following.scheduleWithFixedDelay(() -> gateway.accepted().forEach(booking -> {
                if (customers.putIfAbsent(booking.id(), Customer.of(booking.request(), firstSlot)) == null) {
                    paying.expect(booking.id());
                    if (customers.get(booking.id()).cancelsOnceConfirmed()) {
                        cancelling.expect(booking.id());
                    }
                }
            }), 0, 200, TimeUnit.MILLISECONDS);
            gateway.start(BOOKINGS_PER_SECOND);

            for (int round = 1; round <= KILLS; round++) {
                for (Target target : targets(bookingReplicas)) {
                    killed.add(kill(round, target, gateway, watching));
                }
            }
            killed.forEach(CompletableFuture::join);
            gateway.close();
            List<UUID> accepted = gateway.accepted().stream().map(SteadyBookings.Accepted::id).toList();
            await().atMost(Duration.ofSeconds(5)).until(() -> customers.keySet().containsAll(accepted));
            await("every accepted booking ended").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> unsettled(accepted).isEmpty() && cancelling.pending().isEmpty()
                            || !cancelling.refusals().isEmpty());
            assertThat(cancelling.refusals()).as("cancellations refused").isEmpty();
        }
        finally {
            following.shutdownNow();
            watching.shutdownNow();
        }

        Map<UUID, Customer> accepted = Map.copyOf(customers);
        assertThat(gateway.failures()).as("requests no replica accepted").isEmpty();
        Outcome outcome = everyBookingEndedRight(accepted, resource);
        writeReport(report(finished(killed), gateway, accepted.size(), outcome));
    }

    /** The kills that ended (settled and restarted), in the order they were made. */
    private static List<Kill> finished(List<CompletableFuture<Kill>> killed) {
        return killed.stream().filter(kill -> kill.isDone() && !kill.isCompletedExceptionally()).map(CompletableFuture::join).toList();
    }

    private static void writeReport(String report) throws java.io.IOException {
        log.info("Chaos suite report\n{}", report);
        Files.writeString(Path.of("target", "kill-every-process-report.md"), report);
    }

    private static List<Target> targets(List<ServiceProcess> bookingReplicas) {
        List<Target> targets = new ArrayList<>(List.of(
                new Target("Kafka broker", () -> new Victim(broker.pid(), broker::kill, broker::restart)),
                new Target("inventory-service", () -> Victim.of(system.process("inventory-service"))),
                new Target("payment-service", () -> Victim.of(system.process("payment-service"))),
                new Target("notification-service", () -> Victim.of(system.process("notification-service")))));
        if (bookingReplicas.size() == 1) {
            targets.add(new Target("booking-service (its one replica: the relay leader too)", () -> Victim.of(bookingReplicas.get(0))));
        }
        else {
            targets.add(new Target("booking-service (a replica not leading the relay)", () -> Victim.of(relayLeader(bookingReplicas, false))));
            targets.add(new Target("booking-service's relay leader", () -> Victim.of(relayLeader(bookingReplicas, true))));
        }
        return targets;
    }

    /** The booking replica whose pid {@code relay_leader.holder} names (or, with {@code leads} false, another one). */
    private static ServiceProcess relayLeader(List<ServiceProcess> bookingReplicas, boolean leads) {
        String holder = PlatformClient.jdbc(system.booking()).sql("SELECT holder FROM relay_leader WHERE id = 1").query(String.class)
                .single();
        return bookingReplicas.stream().filter(replica -> holder.startsWith(replica.pid() + "@") == leads)
                .findFirst().orElseThrow(() -> new IllegalStateException("No booking replica " + (leads ? "" : "but ")
                        + "the relay leader " + holder + " among " + bookingReplicas));
    }

    /**
     * Kills the target, leaves it dead while requests arrive, starts it again, and watches the bookings accepted
     * before the kill until they settle. The long run waits for the restart and for those bookings before the next
     * kill, so each recovery is timed alone. The short run kills the next process while this one restarts: every
     * process still dies once, sooner, with outages that overlap (its recovery times are not each alone).
     */
    private static CompletableFuture<Kill> kill(int round, Target target, SteadyBookings gateway, ExecutorService watching) {
        // Some bookings must be on their way when it dies.
        int before = gateway.sent();
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.sent() >= before + 2 * BOOKINGS_PER_SECOND);
        Victim victim = target.pick().get();
        List<UUID> caught = gateway.accepted().stream().map(SteadyBookings.Accepted::id).toList();
        int unsettledAtKill = unsettled(caught).size();
        Instant killed = Instant.now();
        victim.kill().run();
        CompletableFuture<Instant> settled = CompletableFuture.supplyAsync(() -> {
            await(target.name() + " killed in round " + round + ": the bookings accepted before settle").atMost(Duration.ofMinutes(6))
                    .pollInterval(Duration.ofMillis(250)).until(() -> unsettled(caught).isEmpty());
            return Instant.now();
        }, watching);
        int sentWhenKilled = gateway.sent();
        java.util.concurrent.atomic.AtomicReference<Duration> restartedAfter = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Duration> ready = CompletableFuture.supplyAsync(() -> {
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.sent() >= sentWhenKilled + REQUESTS_WHILE_DEAD);
            }
            finally {
                // Back whatever happened: the system is shared with PaymentCrashIT.
                Instant restarting = Instant.now();
                victim.restart().run();
                restartedAfter.set(Duration.between(restarting, Instant.now()));
            }
            return restartedAfter.get();
        }, watching);
        CompletableFuture<Kill> kill = ready.thenCombine(settled, (untilReady, at) -> new Kill(round, target.name(), victim.pid(),
                unsettledAtKill, untilReady, Duration.between(killed, at)));
        kill.thenAccept(done -> log.info("Chaos: {}", done));
        if (SETTLE_BEFORE_NEXT_KILL) {
            kill.join();
        }
        else {
            // The next kill waits until this process is dead long enough, not until it is back.
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.sent() >= sentWhenKilled + REQUESTS_WHILE_DEAD);
        }
        return kill;
    }

    private static List<UUID> unsettled(List<UUID> bookings) {
        if (bookings.isEmpty()) {
            return List.of();
        }
        return PlatformClient.jdbc(system.booking()).sql("SELECT id FROM booking WHERE id = ANY (?) AND status NOT IN (?, ?, ?, ?)")
                .param(bookings.toArray(UUID[]::new)).param("CONFIRMED").param("CANCELLED").param("REJECTED").param("EXPIRED")
                .query(UUID.class).list();
    }

    /** What the checks counted, for the report. */
    record Outcome(int confirmed, int cancelled, int rejected, int rejectedAtDeadline, int refunds, int mails, int mailsDeliveredAgain,
            Map<String, Integer> duplicatesDropped) {
    }

    private static Outcome everyBookingEndedRight(Map<UUID, Customer> bookings, String resource) {
        Map<UUID, String> status = new HashMap<>();
        Set<UUID> waitedOut = new HashSet<>();
        PlatformClient.jdbc(system.booking()).sql("SELECT id, status, reason_code FROM booking WHERE id = ANY (?)")
                .param(bookings.keySet().toArray(UUID[]::new)).query((row, n) -> {
                    UUID id = row.getObject("id", UUID.class);
                    if ("NO_INVENTORY_ANSWER".equals(row.getString("reason_code"))) {
                        waitedOut.add(id);
                    }
                    return status.put(id, row.getString("status"));
                }).list();
        assertThat(status.keySet()).as("every accepted booking is in booking-service").containsExactlyInAnyOrderElementsOf(bookings.keySet());
        assertThat(PlatformClient.jdbc(system.booking()).sql("SELECT count(*) FROM booking WHERE resource_id = ?").param(resource)
                .query(Long.class).single()).as("bookings of the resource: one per accepted request, none from a request sent again")
                .isEqualTo(bookings.size());
        bookings.forEach((id, customer) -> {
            String expected = customer.cancelsOnceConfirmed() ? "CANCELLED" : "CONFIRMED";
            // Sold out (a hot slot), or still waiting for inventory at the pending deadline (two minutes) because the
            // kills kept the platform from answering: both end the booking, rejected, before any payment.
            boolean mayBeRejected = customer.hotSlot() || waitedOut.contains(id);
            assertThat(status.get(id)).as("booking %s of %s", id, customer)
                    .isIn(mayBeRejected ? Set.of(expected, "REJECTED") : Set.of(expected));
        });
        Set<UUID> paid = status.entrySet().stream().filter(entry -> !entry.getValue().equals("REJECTED")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        Set<UUID> cancelled = status.entrySet().stream().filter(entry -> entry.getValue().equals("CANCELLED")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());

        Map<UUID, List<CheckoutSession>> sessions = system.stripe().sessions().stream()
                .filter(session -> session.metadata().get("bookingId") != null
                        && bookings.containsKey(UUID.fromString(session.metadata().get("bookingId"))))
                .collect(Collectors.groupingBy(session -> UUID.fromString(session.metadata().get("bookingId"))));
        bookings.keySet().forEach(id -> assertThat(sessions.getOrDefault(id, List.of())).as("Stripe sessions of booking %s", id)
                .hasSize(paid.contains(id) ? 1 : 0).allMatch(session -> session.status().equals("complete")));
        Map<UUID, Long> confirmations = PlatformClient.jdbc(system.booking()).sql("""
                SELECT booking_id, count(*) AS times FROM booking_transition
                WHERE booking_id = ANY (?) AND to_status = 'CONFIRMED' AND accepted GROUP BY booking_id""")
                .param(bookings.keySet().toArray(UUID[]::new))
                .query((row, n) -> Map.entry(row.getObject("booking_id", UUID.class), row.getLong("times"))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        bookings.keySet().forEach(id -> assertThat(confirmations.getOrDefault(id, 0L)).as("confirmations of booking %s", id)
                .isEqualTo(paid.contains(id) ? 1L : 0L));

        int confirmedNow = paid.size() - cancelled.size();
        Map<Instant, Long> confirmedPerSlot = PlatformClient.jdbc(system.booking()).sql("""
                SELECT slot_start, count(*) AS confirmed FROM booking WHERE resource_id = ? AND status = 'CONFIRMED' GROUP BY slot_start""")
                .param(resource).query((row, n) -> Map.entry(row.getTimestamp("slot_start").toInstant(), row.getLong("confirmed"))).list()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(confirmedPerSlot.values()).as("confirmed bookings per slot (a hot slot has %d places)", PLACES_PER_SLOT)
                .allMatch(confirmed -> confirmed <= PLACES_PER_SLOT);
        // inventory hears of the last cancellations after booking-service has recorded them
        await("inventory: one place per confirmed booking, every other hold released").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            Map<UUID, String> holds = new HashMap<>();
            PlatformClient.jdbc(system.inventory()).sql("SELECT booking_id, status FROM hold WHERE resource_id = ?").param(resource)
                    .query((row, n) -> holds.put(row.getObject("booking_id", UUID.class), row.getString("status"))).list();
            status.forEach((id, bookingStatus) -> {
                String hold = holds.getOrDefault(id, "none (sold out before a hold)");
                switch (bookingStatus) {
                    case "CONFIRMED" -> assertThat(hold).as("hold of confirmed booking %s", id).isEqualTo("CONFIRMED");
                    case "CANCELLED" -> assertThat(hold).as("hold of cancelled booking %s", id).isEqualTo("RELEASED");
                    default -> assertThat(hold).as("hold of rejected booking %s", id).isIn("RELEASED", "none (sold out before a hold)");
                }
            });
            assertThat(client.taken(resource)).as("places taken").isEqualTo(confirmedNow);
        });

        Set<String> paidIntents = sessions.values().stream().flatMap(List::stream).map(CheckoutSession::paymentIntent)
                .collect(Collectors.toSet());
        List<Refund> refunds = system.stripe().refunds().stream().filter(refund -> paidIntents.contains(refund.paymentIntent())).toList();
        assertThat(refunds.stream().map(Refund::paymentIntent)).as("one refund per cancelled booking, none twice")
                .doesNotHaveDuplicates().hasSize(cancelled.size());

        int[] mails = awaitEveryMailOnce(bookings, status);
        assertThat(deadLetters()).as("dead letters by service (the system is shared: counted from this test's start)")
                .isEqualTo(deadLettersBefore);
        Map<String, Integer> dropped = new java.util.TreeMap<>(duplicatesDropped());
        dropped.replaceAll((service, count) -> count - duplicatesBefore.getOrDefault(service, 0));
        return new Outcome(confirmedNow, cancelled.size(), bookings.size() - paid.size(), waitedOut.size(), refunds.size(), mails[0], mails[1],
                dropped);
    }

    private static Map<String, Long> deadLetters() {
        Map<String, Long> deadLetters = new java.util.TreeMap<>();
        for (var service : system.services()) {
            deadLetters.put(service.name(), PlatformClient.jdbc(service).sql("SELECT count(*) FROM dead_letter").query(Long.class).single());
        }
        return deadLetters;
    }

    /**
     * Each customer's mails: the templates its booking's end calls for, each once (one Message-ID; the same
     * Message-ID delivered again is the crash window SMTP leaves, which mail clients show once, and is counted).
     */
    private static int[] awaitEveryMailOnce(Map<UUID, Customer> bookings, Map<UUID, String> status) {
        Map<String, Set<String>> expected = new HashMap<>();
        bookings.forEach((id, customer) -> expected.put(customer.email(), switch (status.get(id)) {
            case "CONFIRMED" -> Set.of("booking-confirmed");
            // A cancellation with a refund to follow is told once, by the refund's mail.
            case "CANCELLED" -> Set.of("booking-confirmed", "payment-refunded");
            default -> Set.of("booking-rejected");
        }));
        await("every customer's mails").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, List<String>> received = mailIdsByRecipient();
            Map<String, Set<String>> missingOrExtra = new java.util.TreeMap<>();
            expected.forEach((email, templates) -> {
                Set<String> got = templates(received.getOrDefault(email, List.of()));
                if (!got.equals(templates)) {
                    missingOrExtra.put(email, got);
                }
            });
            assertThat(missingOrExtra).as("customers whose mails (templates received) are not what their booking's end calls for; "
                    + "expected %s", missingOrExtra.keySet().stream().limit(5).collect(Collectors.toMap(email -> email, expected::get)))
                    .isEmpty();
        });
        Map<String, List<String>> received = mailIdsByRecipient();
        int mails = 0;
        int again = 0;
        for (String email : expected.keySet()) {
            List<String> ids = received.get(email);
            assertThat(new HashSet<>(ids)).as("one Message-ID per template to %s", email).hasSameSizeAs(expected.get(email));
            mails += ids.size();
            again += ids.size() - new HashSet<>(ids).size();
        }
        return new int[] { mails, again };
    }

    /** Every Message-ID the SMTP server received, by recipient (lower case). */
    private static Map<String, List<String>> mailIdsByRecipient() {
        Map<String, List<String>> ids = new HashMap<>();
        for (MimeMessage message : system.smtp().getReceivedMessages()) {
            try {
                ids.computeIfAbsent(message.getAllRecipients()[0].toString().toLowerCase(java.util.Locale.ROOT), recipient -> new ArrayList<>())
                        .add(message.getMessageID());
            }
            catch (MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return ids;
    }

    /** {@code <eventId.template@domain>}: the templates these Message-IDs name. */
    private static Set<String> templates(List<String> messageIds) {
        return messageIds.stream().map(id -> id.substring(id.indexOf('.') + 1, id.indexOf('@'))).collect(Collectors.toSet());
    }

    /** Deliveries each service's inbox recognised as already applied and skipped, from every JVM's log. */
    private static Map<String, Integer> duplicatesDropped() {
        Map<String, Integer> dropped = new java.util.TreeMap<>();
        for (String service : List.of("booking-service", "inventory-service", "payment-service", "notification-service")) {
            for (var replica : system.replicas(service)) {
                try (var lines = Files.lines(((ServiceProcess) replica).logFile())) {
                    dropped.merge(service, (int) lines.filter(line -> line.contains("; duplicate from ")).count(), Integer::sum);
                }
                catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        }
        return dropped;
    }

    private static String report(List<Kill> kills, SteadyBookings gateway, int accepted, @Nullable Outcome outcome) {
        StringBuilder report = new StringBuilder();
        report.append("Seed ").append(SEED).append(", ").append(KILLS).append(" kill(s) of each process, ").append(BOOKINGS_PER_SECOND)
                .append(" bookings/s.\n\n");
        report.append("| round | killed (SIGKILL) | pid | bookings unsettled at the kill | restart -> ready | kill -> those settled |\n");
        report.append("| --- | --- | --- | --- | --- | --- |\n");
        for (Kill kill : kills) {
            report.append("| %d | %s | %d | %d | %.1f s | %.1f s |%n".formatted(kill.round(), kill.target(), kill.pid(), kill.unsettledAtKill(),
                    kill.untilReady().toMillis() / 1000.0, kill.untilSettled().toMillis() / 1000.0));
        }
        report.append("\nRequests %d (tries sent again, after no answer or a 5xx: %d), accepted %d".formatted(gateway.sent(),
                gateway.resent(), accepted));
        if (outcome == null) {
            return report.append(".\n").toString();
        }
        report.append(": confirmed %d, cancelled and refunded %d, ".formatted(outcome.confirmed(), outcome.cancelled()));
        report.append("rejected %d (of them at the pending deadline, inventory unanswered: %d). Refunds %d. Mails %d (the same Message-ID delivered again: %d). ".formatted(outcome.rejected(), outcome.rejectedAtDeadline(),
                outcome.refunds(), outcome.mails(), outcome.mailsDeliveredAgain()));
        report.append("Duplicate deliveries the inboxes skipped: ").append(outcome.duplicatesDropped()).append(".\n");
        return report.toString();
    }
}
