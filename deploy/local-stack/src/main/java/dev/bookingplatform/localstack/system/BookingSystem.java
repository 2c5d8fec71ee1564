package dev.bookingplatform.localstack.system;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.springframework.boot.builder.SpringApplicationBuilder;

import dev.bookingplatform.booking.BookingServiceApplication;
import dev.bookingplatform.inventory.InventoryServiceApplication;
import dev.bookingplatform.notification.NotificationServiceApplication;
import dev.bookingplatform.payment.PaymentServiceApplication;
import dev.bookingplatform.stripesim.StripeSimulator;
import dev.bookingplatform.testsupport.FreePorts;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.web.security.LocalTokens;

/**
 * The whole platform: one PostgreSQL with a database per service, one Kafka broker, the schema registry, an
 * SMTP server (GreenMail), the Stripe simulator, and the four services, each its own Spring Boot application
 * with its own database and consumer group, wired exactly as in a deployment. By default every service runs
 * in this JVM, reading the settings' clock; any of them can run in a JVM of its own ({@link ServiceProcess})
 * so a test can SIGKILL it. The system tests and the local stack start it the same way; only the
 * {@link SystemInfrastructure} beneath differs.
 */
public final class BookingSystem implements AutoCloseable {

    private final StripeSimulator stripe;

    private final GreenMail smtp;

    private final Map<String, RunningService> services;

    /** Every replica of each service, the first being {@link #services}'s. */
    private final Map<String, List<RunningService>> replicas;

    private final SystemInfrastructure infrastructure;

    private final LocalTokens tokens;

    /** What each service was started with, so a further replica (of another version, say) can join it. */
    private final Map<String, Recipe> recipes;

    private record Recipe(Class<?> mainClass, Map<String, String> properties, PostgresDatabase database) {

        /** Its arguments on {@code port}: what every replica of the service is started with. */
        List<String> arguments(int port) {
            List<String> args = new ArrayList<>();
            properties.forEach((key, value) -> args.add("--" + key + "=" + value));
            args.add("--server.port=" + port);
            args.add("--spring.datasource.url=" + database.jdbcUrl());
            args.add("--spring.datasource.username=" + database.username());
            args.add("--spring.datasource.password=" + database.password());
            return args;
        }
    }

    private BookingSystem(StripeSimulator stripe, GreenMail smtp, Map<String, List<RunningService>> replicas,
            SystemInfrastructure infrastructure, LocalTokens tokens, Map<String, Recipe> recipes) {
        this.tokens = tokens;
        this.recipes = recipes;
        this.replicas = replicas;
        Map<String, RunningService> first = new LinkedHashMap<>();
        replicas.forEach((name, running) -> first.put(name, running.get(0)));
        this.services = first;
        this.stripe = stripe;
        this.smtp = smtp;
        this.infrastructure = infrastructure;
    }

    /**
     * Starts the SMTP server, the Stripe simulator and the four services on {@code infrastructure},
     * reporting each step to {@code progress}.
     */
    public static BookingSystem start(SystemSettings settings, SystemInfrastructure infrastructure, Consumer<String> progress) {
        progress.accept("SMTP server (GreenMail)");
        int smtpPort = settings.smtpPort() != 0 ? settings.smtpPort() : FreePorts.next();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        progress.accept("Stripe simulator");
        StripeSimulator stripe = StripeSimulator.start("127.0.0.1", settings.stripePort(), settings.webhookSecret(), settings.clock(),
                settings.stripeJournal());

        // A new signing key each start: tokens printed or minted for one run are worthless after it.
        LocalTokens tokens = LocalTokens.generate();
        Map<String, String> shared = new LinkedHashMap<>(settings.serviceProperties());
        shared.put("bookingplatform.security.jwt.hmac-secret", tokens.secret());
        shared.put("spring.kafka.bootstrap-servers", infrastructure.kafkaBootstrapServers());
        shared.put("bookingplatform.schema-registry.url", infrastructure.schemaRegistryUrl());
        Map<String, List<RunningService>> services = new LinkedHashMap<>();
        Map<String, String> payment = new LinkedHashMap<>(shared);
        Map<String, String> notification = new LinkedHashMap<>(shared);
        Map<String, Recipe> recipes = new LinkedHashMap<>();
        try {
            services.put("inventory-service", start(recipes, settings, InventoryServiceApplication.class,
                    InventoryServiceApplication.application(), "inventory-service",
                    infrastructure.database("inventory"), settings.inventoryPort(), shared, progress));
            payment.put("bookingplatform.stripe.api-base", stripe.apiBase().toString());
            payment.put("bookingplatform.stripe.webhook-secrets", settings.webhookSecret());
            payment.put("bookingplatform.stripe.api-key", SystemSettings.SIMULATOR_API_KEY);
            // The simulator's published secrets are refused outside this profile.
            payment.put("spring.profiles.active", "local");
            services.put("payment-service", start(recipes, settings, PaymentServiceApplication.class,
                    PaymentServiceApplication.application(), "payment-service",
                    infrastructure.database("payment"), settings.paymentPort(), payment, progress));
            notification.putIfAbsent("spring.mail.host", "127.0.0.1");
            notification.putIfAbsent("spring.mail.port", Integer.toString(smtpPort));
            services.put("notification-service", start(recipes, settings, NotificationServiceApplication.class,
                    NotificationServiceApplication.application(), "notification-service", infrastructure.database("notification"),
                    settings.notificationPort(), notification, progress));
            services.put("booking-service", start(recipes, settings, BookingServiceApplication.class,
                    BookingServiceApplication.application(), "booking-service",
                    infrastructure.database("booking"), settings.bookingPort(), shared, progress));
            for (List<RunningService> replicas : services.values()) {
                for (RunningService replica : replicas) {
                    if (replica instanceof ServiceProcess process) {
                        process.awaitReady();
                    }
                }
            }
        }
        catch (RuntimeException failed) {
            services.values().forEach(running -> running.forEach(RunningService::stop));
            stripe.close();
            smtp.stop();
            throw failed;
        }
        stripe.webhookEndpoint(URI.create(services.get("payment-service").get(0).url() + "/webhooks/stripe"));
        return new BookingSystem(stripe, smtp, services, infrastructure, tokens, recipes);
    }

    /** The service's first replica as configured, then each further one in a JVM of its own on a free port. */
    private static List<RunningService> start(Map<String, Recipe> recipes, SystemSettings settings, Class<?> mainClass,
            SpringApplicationBuilder application, String name, PostgresDatabase database, int port, Map<String, String> properties,
            Consumer<String> progress) {
        recipes.put(name, new Recipe(mainClass, Map.copyOf(properties), database));
        List<RunningService> running = new ArrayList<>(settings.replicas());
        running.add(startOne(settings, mainClass, application, name, database, port, properties, progress, false));
        try {
            for (int replica = 2; replica <= settings.replicas(); replica++) {
                running.add(startOne(settings, mainClass, application, name, database, 0, properties, progress, true));
            }
        }
        catch (RuntimeException failed) {
            running.forEach(RunningService::stop);
            throw failed;
        }
        return running;
    }

    private static RunningService startOne(SystemSettings settings, Class<?> mainClass, SpringApplicationBuilder application,
            String name, PostgresDatabase database, int port, Map<String, String> properties, Consumer<String> progress,
            boolean furtherReplica) {
        boolean ownProcess = furtherReplica || settings.ownProcesses().contains(name);
        progress.accept(name + (furtherReplica ? " (another replica, own JVM)" : ownProcess ? " (own JVM)" : ""));
        int servicePort = ownProcess && port == 0 ? FreePorts.next() : port;
        List<String> args = new Recipe(mainClass, properties, database).arguments(servicePort);
        if (ownProcess) {
            // Waited for at the end of start(), with the others.
            return ServiceProcess.startWithoutWaiting(name, mainClass, args, servicePort, database);
        }
        // Services sharing one JVM share its logging: ECS's service.name would name whichever started last on every
        // line. It names the stack instead; the logger (dev.bookingplatform.<service>...) says which service spoke.
        args.add("--logging.structured.ecs.service.name=booking-platform");
        Clock clock = settings.clock();
        application.initializers(context -> context.getBeanFactory().registerSingleton("clock", clock));
        return new RunningService.InJvm(name, application.run(args.toArray(String[]::new)), database);
    }

    /** Every replica of a service ({@code booking-service}, ...), the first being the one {@link #booking()} names. */
    public List<RunningService> replicas(String name) {
        return List.copyOf(replicas.get(name));
    }

    /**
     * Starts one more replica of {@code name} from {@code executableJar} (a Spring Boot jar of that service, another
     * version of it) in a JVM of its own, on the same database, consumer group and settings as the others: two
     * versions side by side, as during a rolling upgrade. It stops with the system.
     */
    public ServiceProcess startAnotherVersion(String name, java.nio.file.Path executableJar) {
        return startReplica(name, (recipe, port) -> ServiceProcess.startJar(name, executableJar, recipe.arguments(port), port,
                recipe.database()));
    }

    /**
     * Starts one more replica of {@code name} (this version) in a JVM of its own, on the same database, consumer group
     * and settings as the others. It stops with the system.
     */
    public ServiceProcess startAnotherReplica(String name) {
        return startReplica(name, (recipe, port) -> ServiceProcess.start(name, recipe.mainClass(), recipe.arguments(port), port,
                recipe.database()));
    }

    private ServiceProcess startReplica(String name, BiFunction<Recipe, Integer, ServiceProcess> start) {
        ServiceProcess started = start.apply(recipe(name), FreePorts.next());
        replicas.get(name).add(started);
        return started;
    }

    private Recipe recipe(String name) {
        Recipe recipe = recipes.get(name);
        if (recipe == null) {
            throw new IllegalArgumentException("No service called " + name + "; one of " + recipes.keySet());
        }
        return recipe;
    }

    /** The service running in a JVM of its own, to kill and restart. */
    public ServiceProcess process(String name) {
        if (!(services.get(name) instanceof ServiceProcess process)) {
            throw new IllegalStateException(name + " runs in this JVM; start the system withOwnProcesses(\"" + name + "\")");
        }
        return process;
    }

    public RunningService booking() {
        return services.get("booking-service");
    }

    public RunningService inventory() {
        return services.get("inventory-service");
    }

    public RunningService payment() {
        return services.get("payment-service");
    }

    public RunningService notification() {
        return services.get("notification-service");
    }

    public List<RunningService> services() {
        return List.copyOf(services.values());
    }

    /** Issues tokens the services of this run accept (their HMAC key is this run's own). */
    public LocalTokens tokens() {
        return tokens;
    }

    public StripeSimulator stripe() {
        return stripe;
    }

    public GreenMail smtp() {
        return smtp;
    }

    public String kafkaBootstrapServers() {
        return infrastructure.kafkaBootstrapServers();
    }

    public String schemaRegistryUrl() {
        return infrastructure.schemaRegistryUrl();
    }

    /** Stops the services (booking first, so no new work starts), then the simulator and the SMTP server. */
    @Override
    public void close() {
        List<RunningService> reversed = new ArrayList<>();
        replicas.values().forEach(reversed::addAll);
        Collections.reverse(reversed);
        reversed.forEach(RunningService::stop);
        stripe.close();
        smtp.stop();
    }
}
