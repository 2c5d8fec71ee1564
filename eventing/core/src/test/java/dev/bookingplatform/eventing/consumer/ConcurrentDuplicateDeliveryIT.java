package dev.bookingplatform.eventing.consumer;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.deadletter.DeadLetterIndex;
import dev.bookingplatform.eventing.inbox.InboxGuard;
import dev.bookingplatform.eventing.schema.EventingSchema;
import dev.bookingplatform.eventing.support.TestEvents;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a rebalance two consumers of one group can hold the same record at once (the old owner has not
 * committed yet). Both run the handler path concurrently; the inbox row makes the second wait for the
 * first and then skip. The handler holds its transaction open until PostgreSQL shows the other delivery
 * blocked on the inbox row, so the race happens every time.
 */
@RealInfrastructure
@Timeout(120)
class ConcurrentDuplicateDeliveryIT {

    private static final String GROUP = "booking-service";

    @Test
    void sameEventOnTwoConsumersAtOnceChangesStateOnce(PostgresDatabase database) throws Exception {
        DataSource dataSource = database.dataSource();
        EventingSchema.migrate(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE applied (event_id uuid NOT NULL)");
        AtomicInteger handlerRuns = new AtomicInteger();
        EventHandler<BookingRequested> handler = (event, metadata) -> {
            handlerRuns.incrementAndGet();
            jdbc.update("INSERT INTO applied (event_id) VALUES (?)", metadata.getEventId());
            await().atMost(Duration.ofSeconds(20)).until(() -> otherDeliveryIsBlocked(jdbc, database.name()));
        };
        IdempotentEventDispatcher first = dispatcher(dataSource, handler);
        IdempotentEventDispatcher second = dispatcher(dataSource, handler);

        for (int round = 0; round < 10; round++) {
            BookingRequested event = TestEvents.bookingRequested(UUID.randomUUID(), round);
            ConsumerRecord<byte[], ReceivedEvent> record = new ConsumerRecord<>("booking.events", 0, round,
                    event.getBookingId().toString().getBytes(), new ReceivedEvent(new byte[0], event));
            CyclicBarrier start = new CyclicBarrier(2);

            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> deliver(first, record, start));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> deliver(second, record, start));
            CompletableFuture.allOf(a, b).get();

            assertThat(jdbc.queryForObject("SELECT count(*) FROM applied WHERE event_id = ?", Long.class,
                    event.getMetadata().getEventId())).isEqualTo(1);
        }
        assertThat(handlerRuns).hasValue(10);
    }

    private static boolean otherDeliveryIsBlocked(JdbcTemplate jdbc, String database) {
        return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND wait_event_type = 'Lock'",
                Long.class, database) > 0;
    }

    private static void deliver(IdempotentEventDispatcher dispatcher, ConsumerRecord<byte[], ReceivedEvent> record,
            CyclicBarrier start) {
        try {
            start.await();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        dispatcher.dispatch(record);
    }

    private static IdempotentEventDispatcher dispatcher(DataSource dataSource, EventHandler<BookingRequested> handler) {
        HandlerRegistration<BookingRequested> registration = new HandlerRegistration<>("booking.events",
                BookingRequested.class, handler, RetryPolicy.defaults());
        return new IdempotentEventDispatcher(GROUP, List.of(registration), new InboxGuard(dataSource), new DeadLetterIndex(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }
}
