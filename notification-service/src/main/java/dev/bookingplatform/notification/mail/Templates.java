package dev.bookingplatform.notification.mail;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.bookingplatform.events.EventMetadata;
import dev.bookingplatform.events.LineItem;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.BookingConfirmed;
import dev.bookingplatform.events.booking.BookingRejected;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.notification.NotificationProperties;

/** The four customer e-mails, rendered from the event alone (the payloads carry everything they need). */
@Component
class Templates {

    static final String CONFIRMED = "booking-confirmed";

    static final String REJECTED = "booking-rejected";

    static final String CANCELLED = "booking-cancelled";

    static final String REFUNDED = "payment-refunded";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final NotificationProperties properties;

    Templates(NotificationProperties properties) {
        this.properties = properties;
    }

    /** A receipt: every line with its unit price, and the total the customer paid. */
    Email confirmed(BookingConfirmed event, EventMetadata metadata) {
        String lines = event.getLineItems().stream().map(item -> line(item, event.getCurrency())).collect(Collectors.joining("\n"));
        return new Email(metadata.getEventId(), event.getBookingId(), CONFIRMED, event.getCustomerEmail(),
                "Booking confirmed: " + event.getResourceId() + " on " + WHEN.format(event.getSlotStart()),
                """
                Hello %s,

                your booking %s is confirmed for %s to %s.

                Receipt
                %s
                Total paid: %s

                Payment reference: %s

                %s""".formatted(event.getCustomerName(), event.getBookingId(), WHEN.format(event.getSlotStart()),
                        WHEN.format(event.getSlotEnd()), lines, money(event.getTotalMinor(), event.getCurrency()),
                        event.getPaymentReference(), properties.platformName()));
    }

    Email rejected(BookingRejected event, EventMetadata metadata) {
        return new Email(metadata.getEventId(), event.getBookingId(), REJECTED, event.getCustomerEmail(),
                "We could not book " + event.getResourceId(), """
                Hello %s,

                we could not accept your booking %s: %s
                You have not been charged.

                %s""".formatted(event.getCustomerName(), event.getBookingId(), event.getReason(), properties.platformName()));
    }

    Email cancelled(BookingCancelled event, EventMetadata metadata) {
        return new Email(metadata.getEventId(), event.getBookingId(), CANCELLED, event.getCustomerEmail(),
                "Booking cancelled: " + event.getResourceId(), """
                Hello %s,

                your booking %s is cancelled: %s
                You have not been charged.

                %s""".formatted(event.getCustomerName(), event.getBookingId(), event.getReason(), properties.platformName()));
    }

    Email refunded(PaymentRefunded event, EventMetadata metadata) {
        return new Email(metadata.getEventId(), event.getBookingId(), REFUNDED, event.getCustomerEmail(),
                "Refund of " + money(event.getAmountMinor(), event.getCurrency()), """
                Hello %s,

                %s has been refunded to your card for booking %s (refund %s).
                %s
                It may take a few days to show on your statement.

                %s""".formatted(event.getCustomerName().isBlank() ? "there" : event.getCustomerName(),
                        money(event.getAmountMinor(), event.getCurrency()), event.getBookingId(), event.getRefundId(),
                        event.getReason().isBlank() ? "Your booking is cancelled." : event.getReason(), properties.platformName()));
    }

    /** "Harbour view double room   1 x   EUR 120.00 x 3 nights =   EUR 360.00"; no unit count for a price per booking. */
    static String line(LineItem item, String currency) {
        String units = item.getUnitName() == null ? ""
                : " x " + item.getUnits() + " " + item.getUnitName() + (item.getUnits() == 1 ? "" : "s");
        return String.format(Locale.ROOT, "  %-40s %3d x %12s%s = %12s", item.getDescription(), item.getQuantity(),
                money(item.getUnitPriceMinor(), currency), units, money(item.getTotalMinor(), currency));
    }

    static String money(long minor, String currency) {
        return String.format(Locale.ROOT, "%s %d.%02d", currency, minor / 100, Math.abs(minor % 100));
    }
}
