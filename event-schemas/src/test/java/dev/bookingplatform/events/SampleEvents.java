package dev.bookingplatform.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import dev.bookingplatform.events.booking.BookingCancellationRequested;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.BookingConfirmed;
import dev.bookingplatform.events.booking.BookingPaid;
import dev.bookingplatform.events.booking.CustomerDataErased;
import dev.bookingplatform.events.booking.BookingRejected;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.booking.CancellationReason;
import dev.bookingplatform.events.booking.PaymentRequested;
import dev.bookingplatform.events.inventory.HoldConfirmed;
import dev.bookingplatform.events.inventory.HoldLost;
import dev.bookingplatform.events.inventory.InventoryHoldExpired;
import dev.bookingplatform.events.inventory.ResourceChanged;
import dev.bookingplatform.events.inventory.InventoryRejected;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.inventory.RejectionReason;
import dev.bookingplatform.events.payment.PaymentDeclined;
import dev.bookingplatform.events.payment.PaymentDisputed;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentProcessing;
import dev.bookingplatform.events.payment.PaymentRefundFailed;
import dev.bookingplatform.events.payment.PaymentFailureReason;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSessionCreated;
import dev.bookingplatform.events.payment.PaymentSucceeded;

/** One fixed instance of every event type, with every field set. */
public final class SampleEvents {

    public static final UUID BOOKING_ID = UUID.fromString("6f1c2a9e-3b4d-4c5e-8f70-112233445566");

    public static final Instant OCCURRED_AT = Instant.parse("2026-11-23T10:15:30.123Z");

    public static final Instant SLOT_START = Instant.parse("2026-12-24T18:00:00Z");

    public static final Instant SLOT_END = Instant.parse("2026-12-24T20:00:00Z");

    private SampleEvents() {
    }

    public static EventMetadata metadata() {
        return EventMetadata.newBuilder()
                .setEventId(UUID.fromString("0a0b0c0d-1111-4222-8333-444455556666"))
                .setOccurredAt(OCCURRED_AT)
                .setCorrelationId("corr-7f3e")
                .setCausationId(UUID.fromString("99999999-8888-4777-8666-555544443333"))
                .setProducer("booking-service")
                .build();
    }

    public static BookingRequested bookingRequested() {
        return BookingRequested.newBuilder()
                .setMetadata(metadata())
                .setBookingId(BOOKING_ID)
                .setCustomerEmail("ada@example.com")
                .setCustomerName("Ada Lovelace")
                .setResourceId("harbour-tour")
                .setSlotStart(SLOT_START)
                .setSlotEnd(SLOT_END)
                .setQuantity(2)
                .setAddOns(List.of(new AddOnRequest("dinner", 2)))
                .setCustomerLocale("en-GB")
                .build();
    }

    public static List<LineItem> lineItems() {
        return List.of(
                new LineItem(LineItemKind.RESOURCE, "harbour-tour", "Harbour tour", 2, 4_500L, 9_000L, 1, "day"),
                new LineItem(LineItemKind.ADD_ON, "dinner", "Dinner on board", 2, 3_250L, 6_500L, 1, null));
    }

    /** One of each event type, in {@link EventType} order. */
    public static List<SpecificRecord> everyType() {
        return List.of(
                bookingRequested(),
                new PaymentRequested(metadata(), BOOKING_ID, 15_500L, "EUR", "ada@example.com", "Harbour tour x2",
                        Instant.parse("2026-11-23T10:30:30Z"), "Ada Lovelace"),
                new BookingConfirmed(metadata(), BOOKING_ID, "ada@example.com", "Ada Lovelace", "harbour-tour",
                        SLOT_START, SLOT_END, 2, lineItems(), 15_500L, "EUR", "pi_123"),
                new BookingRejected(metadata(), BOOKING_ID, "ada@example.com", "Ada Lovelace", "harbour-tour",
                        "Sold out"),
                new BookingCancelled(metadata(), BOOKING_ID, "ada@example.com", "Ada Lovelace", "harbour-tour",
                        CancellationReason.PAYMENT_FAILED, "Card declined", false),
                new BookingCancellationRequested(metadata(), BOOKING_ID, 15_500L, "EUR", "Change of plans", 1),
                new BookingPaid(metadata(), BOOKING_ID, "pi_123", 15_500L, "EUR"),
                new CustomerDataErased(metadata(), java.util.UUID.fromString("5d0c3a43-77a4-4a8e-9d3c-0f3b9a1e2c11"), List.of(BOOKING_ID)),
                new InventoryReserved(metadata(), BOOKING_ID, "harbour-tour", SLOT_START, SLOT_END, 2, lineItems(),
                        15_500L, "EUR", Instant.parse("2026-11-23T10:30:30Z")),
                new InventoryRejected(metadata(), BOOKING_ID, "harbour-tour", RejectionReason.SOLD_OUT, "Sold out"),
                new InventoryHoldExpired(metadata(), BOOKING_ID, "harbour-tour", Instant.parse("2026-11-23T10:30:30Z")),
                new ResourceChanged(metadata(), "harbour-tour", "Harbour tour", "EUR", List.of("audio-guide"), 3L,
                        new BookingUnitSpec("Europe/Lisbon", UnitKind.DAY, 0, 600, 780, 1, 1),
                        new CancellationPolicySpec(86_400L, 50)),
                new HoldConfirmed(metadata(), BOOKING_ID, "harbour-tour", false),
                new HoldLost(metadata(), BOOKING_ID, "harbour-tour", "Sold to another customer after the hold ran out"),
                new PaymentSessionCreated(metadata(), BOOKING_ID, "cs_test_1", "https://checkout.example/cs_test_1",
                        Instant.parse("2026-11-23T10:30:00Z")),
                new PaymentSucceeded(metadata(), BOOKING_ID, "cs_test_1", "pi_123", 15_500L, "EUR"),
                new PaymentFailed(metadata(), BOOKING_ID, "cs_test_1", PaymentFailureReason.DECLINED, "Card declined"),
                new PaymentRefunded(metadata(), BOOKING_ID, "re_1", 15_500L, "EUR", "ada@example.com", "Ada Lovelace",
                        "Cancelled by the customer"),
                new PaymentDeclined(metadata(), BOOKING_ID, "cs_test_1", "Your card was declined.", "insufficient_funds"),
                new PaymentProcessing(metadata(), BOOKING_ID, "cs_test_1"),
                new PaymentRefundFailed(metadata(), BOOKING_ID, "re_1", "charge_disputed"),
                new PaymentDisputed(metadata(), BOOKING_ID, "dp_1", 15_500L, "EUR", "fraudulent"));
    }
}
