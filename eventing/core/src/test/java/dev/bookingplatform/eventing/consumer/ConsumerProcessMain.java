package dev.bookingplatform.eventing.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.deadletter.DeadLetterIndex;
import dev.bookingplatform.eventing.inbox.InboxGuard;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;

/**
 * One consumer in a JVM of its own, so a test can kill it or run two in a group. Each event it applies is a row in
 * {@code applied} naming this process. Test-only hook: for the event ids it is given, it halts the JVM (as SIGKILL
 * would: no shutdown hook, no offset commit) right after the handler's database transaction committed.
 *
 * <p>Arguments: bootstrap servers, registry URL, JDBC URL, user, password, topic, group, process name, event ids
 * to halt after (comma-separated, or "-"), static group member id (or "-"). SIGTERM leaves the group cleanly.
 */
public final class ConsumerProcessMain {

    /** The exit status of a halt at the hook, as the shell reports a SIGKILL. */
    public static final int HALTED = 137;

    private ConsumerProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        // Pooled, as a service's is: a new connection per event made catching up after an outage crawl (~30/s).
        com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource();
        dataSource.setJdbcUrl(args[2]);
        dataSource.setUsername(args[3]);
        dataSource.setPassword(args[4]);
        dataSource.setMaximumPoolSize(2);
        dataSource.setConnectionTimeout(5_000);
        String topic = args[5];
        String group = args[6];
        String name = args[7];
        Set<UUID> haltAfter = "-".equals(args[8]) ? Set.of()
                : Stream.of(args[8].split(",")).map(UUID::fromString).collect(Collectors.toSet());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        HandlerRegistration<BookingRequested> registration = new HandlerRegistration<>(topic, BookingRequested.class,
                (event, metadata) -> {
                    jdbc.update("INSERT INTO applied (event_id, booking_id, quantity, consumer) VALUES (?, ?, ?, ?)",
                            metadata.getEventId(), event.getBookingId(), event.getQuantity(), name);
                    if (haltAfter.contains(metadata.getEventId())) {
                        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                            @Override
                            public void afterCommit() {
                                System.out.println("halting after the commit of " + metadata.getEventId());
                                Runtime.getRuntime().halt(HALTED);
                            }
                        });
                    }
                }, new RetryPolicy(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), Duration.ZERO));
        IdempotentEventDispatcher dispatcher = new IdempotentEventDispatcher(group, List.of(registration),
                new InboxGuard(dataSource), new DeadLetterIndex(dataSource), new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        Map<String, Object> client = new HashMap<>();
        // A dead member is noticed in seconds, not the default 45 s.
        client.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
        client.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
        if (!"-".equals(args[9])) {
            // Static membership: a restarted JVM takes the killed one's partitions at once.
            client.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, args[9]);
        }
        EventConsumer consumer = new EventConsumer(new EventConsumerSettings(bootstrap, group, 1, "earliest", client, Map.of(), RetryPolicy.defaults()), List.of(registration),
                dispatcher, new RestSchemaRegistryClient(SchemaRegistrySettings.of(args[1])));
        consumer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(consumer::close));
        System.out.println("consumer " + name + " started");
        new CountDownLatch(1).await();
    }
}
