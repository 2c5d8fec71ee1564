package dev.bookingplatform.eventing.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.eventing.correlation.CorrelationScope;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.eventing.relay.RelayStatus;
import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.eventing.support.TestEvents;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Spring Boot service with nothing but a handler bean: outbox, relay, consumer and health come with the library. */
@SpringBootTest(classes = EventingAutoConfigurationIT.Service.class, properties = {
        "spring.application.name=autoconfig-service", "bookingplatform.eventing.consumer.auto-offset-reset=latest" })
@RealInfrastructure
@Timeout(180)
class EventingAutoConfigurationIT {

    @Autowired
    OutboxWriter outbox;

    @Autowired
    EventMetadataFactory metadata;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    OutboxRelayLifecycle relay;

    @Autowired
    EventConsumerLifecycle consumer;

    @Autowired
    RelayHealthIndicator relayHealth;

    @Autowired
    List<EventMetadata> handled;

    @Test
    void eventWrittenInATransactionReachesTheHandlerThroughRelayAndKafka() {
        await().atMost(Duration.ofSeconds(60)).until(() -> relay.status().state() == RelayStatus.State.RUNNING
                && consumer.consumer().assignedPartitionCount() > 0);
        UUID bookingId = UUID.randomUUID();
        BookingRequested event;
        try (CorrelationScope request = CorrelationScope.request("req-123")) {
            BookingRequested template = TestEvents.bookingRequested(bookingId, 1);
            event = BookingRequested.newBuilder(template).setMetadata(metadata.next()).build();
        }
        BookingRequested written = event;

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> outbox.append(bookingId.toString(), written));

        await().atMost(Duration.ofSeconds(60)).until(() -> handled.stream()
                .anyMatch(seen -> seen.getEventId().equals(written.getMetadata().getEventId())));
        assertThat(written.getMetadata().getCorrelationId()).isEqualTo("req-123");
        assertThat(written.getMetadata().getProducer()).isEqualTo("autoconfig-service");
        assertThat(relayHealth.health().getStatus().getCode()).isEqualTo("UP");
        assertThat(relayHealth.health().getDetails()).containsEntry("state", "RUNNING");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Service {

        @Bean
        List<EventMetadata> handled() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        HandlerRegistration<BookingRequested> onBookingRequested(List<EventMetadata> handled) {
            return HandlerRegistration.on(BookingRequested.class, (event, metadata) -> handled.add(metadata));
        }
    }
}
