package dev.bookingplatform.notification.mail;

import org.junit.jupiter.api.Test;

import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.LineItemKind;

import static org.assertj.core.api.Assertions.assertThat;

class TemplatesTest {

    @Test
    void aReceiptLineShowsTheUnitsItCharges() {
        LineItem stay = new LineItem(LineItemKind.RESOURCE, "room", "Harbour view double room", 1, 12_000L, 36_000L, 3, "night");

        assertThat(Templates.line(stay, "EUR")).endsWith("1 x   EUR 120.00 x 3 nights =   EUR 360.00");
    }

    @Test
    void aLinePricedOncePerBookingShowsNoUnits() {
        LineItem lateCheckOut = new LineItem(LineItemKind.ADD_ON, "late", "Late check-out", 1, 3_000L, 3_000L, 1, null);
        LineItem oneHour = new LineItem(LineItemKind.RESOURCE, "court", "Court", 2, 2_000L, 4_000L, 1, "hour");

        assertThat(Templates.line(lateCheckOut, "EUR")).endsWith("1 x    EUR 30.00 =    EUR 30.00");
        assertThat(Templates.line(oneHour, "EUR")).endsWith("2 x    EUR 20.00 x 1 hour =    EUR 40.00");
    }

    @Test
    void aRefundTellsTheCustomerWhy() {
        var metadata = new dev.bookingplatform.events.EventMetadata(java.util.UUID.randomUUID(), java.time.Instant.now(), "c", null, "p");
        var refund = new dev.bookingplatform.events.payment.PaymentRefunded(metadata, java.util.UUID.randomUUID(), "re_1", 4_000L, "EUR",
                "a@example.com", "Ada", "We could not keep your booking: the court was sold. Your payment is refunded in full.");

        Email mail = new Templates(new dev.bookingplatform.notification.NotificationProperties("f@x", "Platform", "x",
                new dev.bookingplatform.notification.NotificationProperties.SmtpRetry(10, java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(15)))).refunded(refund, metadata);

        assertThat(mail.subject()).isEqualTo("Refund of EUR 40.00");
        assertThat(mail.body()).contains("EUR 40.00 has been refunded", "We could not keep your booking: the court was sold.");
    }
}
