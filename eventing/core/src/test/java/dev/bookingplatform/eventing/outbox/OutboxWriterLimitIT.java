package dev.bookingplatform.eventing.outbox;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.eventing.support.OutboxFixture;
import dev.bookingplatform.eventing.support.TestEvents;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An event the topic would refuse never enters the outbox: it is refused at the caller, in its transaction. */
@RealInfrastructure
@Timeout(60)
class OutboxWriterLimitIT {

    @Test
    void anEventLargerThanTheTopicAcceptsIsRefusedAtTheCallerAndNothingIsWritten(PostgresDatabase database, KafkaBroker kafka,
            SchemaRegistry registry) {
        OutboxFixture outbox = new OutboxFixture(database, kafka, registry);
        UUID bookingId = UUID.randomUUID();
        BookingRequested tooLarge = BookingRequested.newBuilder(TestEvents.bookingRequested(bookingId, 1))
                .setCustomerName("x".repeat(OutboxWriter.DEFAULT_MAX_EVENT_BYTES)).build();
        BookingRequested justFits = BookingRequested.newBuilder(TestEvents.bookingRequested(bookingId, 2))
                .setCustomerName("x".repeat(OutboxWriter.DEFAULT_MAX_EVENT_BYTES - 2_000)).build();

        assertThatThrownBy(() -> outbox.inTransaction(writer -> writer.append(bookingId.toString(), tooLarge)))
                .isInstanceOf(EventTooLargeException.class)
                .hasMessageContaining("BookingRequested " + tooLarge.getMetadata().getEventId())
                .hasMessageContaining("at most 1,000,000");
        assertThat(outbox.queryLong("SELECT count(*) FROM outbox_event")).isZero();

        outbox.inTransaction(writer -> writer.append(bookingId.toString(), justFits));
        assertThat(outbox.queryLong("SELECT count(*) FROM outbox_event")).isEqualTo(1);
    }
}
