package dev.bookingplatform.eventing.timeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventingTimelineTest {

    @Test
    void aDeadLettersMessageReachesTheTimelineWithoutTheAddressesItQuotes() {
        String smtp = "550 5.1.1 <jane.doe+trip@example.com>: Recipient address rejected; also cc 'x@y.org' and bob@mail.example";
        assertThat(EventingTimeline.withoutAddresses(smtp))
                .isEqualTo("550 5.1.1 <<address>>: Recipient address rejected; also cc '<address>' and <address>")
                .doesNotContain("@");
        assertThat(EventingTimeline.withoutAddresses("ERROR: duplicate key value violates unique constraint")).isEqualTo(
                "ERROR: duplicate key value violates unique constraint");
        assertThat(EventingTimeline.withoutAddresses("GET /api/bookings?email=jane%40example.com failed")).as("URL-encoded")
                .isEqualTo("GET /api/bookings?email=<address> failed");
        assertThat(EventingTimeline.withoutAddresses(null)).isNull();
    }
}
