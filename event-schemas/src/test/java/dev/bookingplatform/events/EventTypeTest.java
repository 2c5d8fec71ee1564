package dev.bookingplatform.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventTypeTest {

    @Test
    void everySampleMapsToItsTypeAndTopic() {
        assertThat(SampleEvents.everyType()).extracting(EventType::of).containsExactly(EventType.values());
        assertThat(EventType.of(SampleEvents.bookingRequested()).topic()).isEqualTo(Topics.BOOKING_EVENTS);
        assertThat(EventType.PAYMENT_SUCCEEDED.topic()).isEqualTo(Topics.PAYMENT_EVENTS);
        assertThat(EventType.INVENTORY_RESERVED.typeName()).isEqualTo("InventoryReserved");
    }

    @Test
    void everyEventCarriesMetadata() {
        assertThat(SampleEvents.everyType()).extracting(EventType::metadataOf).containsOnly(SampleEvents.metadata());
    }

    @Test
    void unknownTypeNameIsRefusedByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventType.byName("BookingTeleported"))
                .withMessageContaining("BookingTeleported");
    }

    @Test
    void deadLetterTopicFollowsTheNamingRule() {
        assertThat(Topics.deadLetterTopic(Topics.BOOKING_EVENTS, "inventory-service"))
                .isEqualTo("booking.events.inventory-service.DLT");
    }
}
