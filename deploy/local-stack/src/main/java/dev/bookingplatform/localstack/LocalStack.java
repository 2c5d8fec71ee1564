package dev.bookingplatform.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.ServiceProcess;
import dev.bookingplatform.web.security.Scopes;
import dev.bookingplatform.localstack.system.SystemSettings;

/**
 * {@code ./local-stack}: the whole platform on this machine with nothing but a JDK. Starts the local
 * infrastructure and then the {@link BookingSystem} the system tests start, prints where everything
 * listens and a {@code curl} that books, and on Ctrl-C stops it all, services first, PostgreSQL last.
 */
public final class LocalStack {

    /** The line scripts and the tests wait for. */
    static final String READY = "Booking platform ready";

    /** The README's first booking, on the booking port actually used. */
    static final String FIRST_BOOKING_CURL = """
            curl -i -X POST http://localhost:%d/api/bookings -H "Authorization: Bearer $CUSTOMER_TOKEN" \\
              -H 'Content-Type: application/json' -H 'Idempotency-Key: first-booking' \\
              -d '{"customerEmail":"ada@example.com","customerName":"Ada Lovelace","resourceId":"harbour-view-room",
                   "slotStart":"2030-06-01T14:00:00Z","slotEnd":"2030-06-03T10:00:00Z","quantity":1}'""";

    private final LocalStackOptions options;

    private final DataDirectory data;

    private final PrintStream out;

    private final LocalInfrastructure infrastructure = new LocalInfrastructure();

    private volatile @Nullable BookingSystem system;

    private volatile @Nullable MailInbox inbox;

    private volatile @Nullable DeadMansSwitch deadMansSwitch;

    private LocalStack(LocalStackOptions options, DataDirectory data, PrintStream out) {
        this.options = options;
        this.data = data;
        this.out = out;
    }

    public static void main(String[] args) throws InterruptedException {
        LocalStackOptions options;
        try {
            options = LocalStackOptions.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage() + "\n");
            System.err.print(LocalStackOptions.usage());
            System.exit(64);
            return;
        }
        if (options.help()) {
            System.out.print(LocalStackOptions.usage());
            return;
        }
        DataDirectory data = DataDirectory.of(options.dataDirectory());
        if (!data.lock()) {
            System.err.printf("Another local stack runs on %s; stop it first, or choose another --data-dir.%n", data.path());
            System.exit(75);
        }
        LeftBehindProcesses.stop(data.path(), System.out);
        List<String> taken = options.ports().taken();
        if (!taken.isEmpty()) {
            taken.forEach(option -> System.err.printf("Port %d (--%s) is already in use.%n", options.ports().of(option), option));
            System.err.println("Stop what listens there, choose other ports with --<name>-port=N, or use --free-ports.");
            data.deleteIfTemporary();
            System.exit(75);
        }
        // Before the first logger exists: the full log goes to a file, the console keeps progress and errors.
        System.setProperty("localstack.log.file", data.log().toString());
        System.setProperty("localstack.json.log.file", data.log().resolveSibling("services.json").toString());

        LocalStack stack = new LocalStack(options, data, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-shutdown"));
        try {
            stack.start();
        }
        catch (RuntimeException ex) {
            System.err.println("The local stack did not start: " + ex.getMessage());
            System.err.println("Full log: " + data.log());
            System.exit(1);
        }
        if (options.demo()) {
            stack.demo();
        }
        System.out.println("Press Ctrl-C to stop.");
        new CountDownLatch(1).await();
    }

    private void start() {
        long begin = System.nanoTime();
        out.printf("Starting the booking platform (data in %s%s)%n", data.path(), data.temporary() ? ", deleted on exit" : "");
        DeadMansSwitch armed = DeadMansSwitch.arm(data.path(), data.temporary());
        deadMansSwitch = armed;
        infrastructure.start(options.ports(), data.path(), this::progress, armed::watch);
        LocalPorts ports = options.ports();
        BookingSystem started = BookingSystem.start(new SystemSettings(ports.of("booking-port"), ports.of("inventory-port"),
                ports.of("payment-port"), ports.of("notification-port"), ports.of("stripe-port"), ports.of("smtp-port"),
                SystemSettings.SIMULATOR_WEBHOOK_SECRET, Map.of(
                        // The stack stops the services itself, before the database and broker they need.
                        "spring.main.register-shutdown-hook", "false",
                        "logging.register-shutdown-hook", "false",
                        "spring.main.banner-mode", "off")).withStripeJournal(data.path().resolve("stripe").resolve("account.jsonl"))
                        .withReplicas(options.replicas()),
                infrastructure, this::progress);
        system = started;
        // Further replicas are JVMs of their own: they end with the stack, however it ends.
        started.services().forEach(first -> started.replicas(first.name()).stream()
                .filter(replica -> replica instanceof ServiceProcess).map(ServiceProcess.class::cast)
                .forEach(replica -> armed.watch("replica", replica.pid())));
        started.stripe().latency(options.stripeLatency());
        started.stripe().rateLimit(options.stripeRateLimit());
        progress("Mail page");
        inbox = MailInbox.start(started.smtp(), ports.of("mail-port"));
        printReady(started, Duration.ofNanos(System.nanoTime() - begin));
    }

    private void progress(String step) {
        out.println("  starting " + step + " ...");
    }

    private void printReady(BookingSystem started, Duration took) {
        LocalPorts ports = options.ports();
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("Booking API", started.booking().url() + "/api/bookings  (OpenAPI: /v3/api-docs)");
        urls.put("Inventory API", started.inventory().url() + "/api/resources");
        urls.put("Payment webhooks", started.payment().url() + "/webhooks/stripe");
        urls.put("Notification health", started.notification().url() + "/actuator/health");
        if (options.replicas() > 1) {
            started.services().forEach(first -> urls.put(first.name().replace("-service", "") + " replicas", String.join(" ",
                    started.replicas(first.name()).stream().map(replica -> replica.url().toString()).toList())));
        }
        urls.put("Stripe simulator", started.stripe().apiBase() + "  (checkout pages at /checkout/{session}; latency "
                + options.stripeLatency() + ", " + (options.stripeRateLimit() == 0 ? "no rate limit)" : options.stripeRateLimit() + " requests/s)"));
        urls.put("Mail page", "http://localhost:" + ports.of("mail-port") + "/");
        urls.put("SMTP", "localhost:" + ports.of("smtp-port"));
        urls.put("Kafka", started.kafkaBootstrapServers());
        urls.put("Schema registry", started.schemaRegistryUrl());
        urls.put("PostgreSQL", "localhost:" + ports.of("postgres-port")
                + "  (user postgres; databases booking, inventory, payment, notification, registry)");
        urls.put("Log", data.log().toString());
        out.printf("%n%s in %.1f s%n", READY, took.toMillis() / 1000.0);
        urls.forEach((name, url) -> out.printf("  %-20s %s%n", name, url));
        out.println();
        printTokens(started);
        out.println("Place a booking:");
        out.println(FIRST_BOOKING_CURL.formatted(ports.of("booking-port")).indent(2).stripTrailing());
        out.println("then GET its Location, open its checkoutUrl, press Pay, and watch it become CONFIRMED.");
        out.println();
    }

    /**
     * Ready tokens for this run, printed and written to {@code tokens.env} (owner-only) in the data directory. The
     * key signing them was generated at start: they are worthless once the stack stops.
     */
    private void printTokens(BookingSystem started) {
        Duration lifetime = Duration.ofHours(12);
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("CUSTOMER_TOKEN", started.tokens().issue("customer-ada", lifetime, Scopes.BOOKINGS_READ, Scopes.BOOKINGS_WRITE));
        tokens.put("OTHER_CUSTOMER_TOKEN", started.tokens().issue("customer-bob", lifetime, Scopes.BOOKINGS_READ, Scopes.BOOKINGS_WRITE));
        tokens.put("ADMIN_TOKEN", started.tokens().issue("support-gateway", lifetime, Scopes.BOOKINGS_ADMIN, Scopes.CATALOG_WRITE));
        tokens.put("OPS_TOKEN", started.tokens().issue("ops-person", lifetime, Scopes.OPS));
        Path file = data.path().resolve("tokens.env");
        StringBuilder env = new StringBuilder();
        tokens.forEach((name, token) -> env.append("export ").append(name).append('=').append(token).append('\n'));
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, env);
        }
        catch (IOException | UnsupportedOperationException ex) {
            out.println("  (could not write " + file + ": " + ex.getMessage() + ")");
        }
        out.println("Tokens for this run (12 h; customer-ada and customer-bob: bookings:read bookings:write;");
        out.println("support-gateway: bookings:admin catalog:write; ops-person: ops). In your shell:");
        out.println("  source " + file);
        out.println();
    }

    private void demo() {
        BookingSystem running = system;
        if (running == null) {
            return;
        }
        try {
            new Demo(running, out).run();
        }
        catch (RuntimeException ex) {
            out.println("The demo stopped: " + ex.getMessage());
        }
    }

    /** Services first (booking before the others, so no new work starts), then mail, broker, registry, database. */
    private void stop() {
        out.println();
        out.println("Stopping the booking platform ...");
        long begin = System.nanoTime();
        try {
            MailInbox page = inbox;
            if (page != null) {
                page.close();
            }
            BookingSystem running = system;
            if (running != null) {
                running.close();
            }
        }
        finally {
            // Whatever failed above, the database, broker and registry still stop; the switch then stops what they left.
            try {
                infrastructure.close();
                data.deleteIfTemporary();
            }
            finally {
                DeadMansSwitch armed = deadMansSwitch;
                if (armed != null) {
                    armed.close();
                }
            }
        }
        out.printf("Stopped in %.1f s%n", (System.nanoTime() - begin) / 1e9);
    }

    /** Where PostgreSQL, Kafka, the registry's schemas and the log live. */
    record DataDirectory(Path path, boolean temporary) {

        private static final List<FileLock> HELD_LOCKS = new java.util.concurrent.CopyOnWriteArrayList<>();

        static DataDirectory of(@Nullable Path requested) {
            try {
                if (requested != null) {
                    return new DataDirectory(Files.createDirectories(requested), false);
                }
                return new DataDirectory(Files.createTempDirectory("booking-platform-"), true);
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot create the data directory " + requested, ex);
            }
        }

        /**
         * Holds the directory's lock for the rest of this JVM's life (the kernel lets go when it ends, however it
         * ends); false if another stack holds it.
         */
        boolean lock() {
            try {
                FileChannel channel = FileChannel.open(path.resolve("stack.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    return false;
                }
                HELD_LOCKS.add(lock);
                return true;
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot lock the data directory " + path, ex);
            }
        }

        Path log() {
            return path.resolve("logs").resolve("local-stack.log");
        }

        void deleteIfTemporary() {
            if (!temporary) {
                return;
            }
            try (Stream<Path> paths = Files.walk(path)) {
                paths.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
            catch (IOException ex) {
                System.err.println("Could not delete " + path + ": " + ex.getMessage());
            }
        }
    }
}
