package dev.bookingplatform.events;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import dev.bookingplatform.events.booking.BookingCancellationRequested;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.BookingConfirmed;
import dev.bookingplatform.events.booking.BookingPaid;
import dev.bookingplatform.events.booking.CustomerDataErased;
import dev.bookingplatform.events.booking.BookingRejected;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.booking.PaymentRequested;
import dev.bookingplatform.events.inventory.HoldConfirmed;
import dev.bookingplatform.events.inventory.HoldLost;
import dev.bookingplatform.events.inventory.InventoryHoldExpired;
import dev.bookingplatform.events.inventory.InventoryRejected;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.inventory.ResourceChanged;
import dev.bookingplatform.events.payment.PaymentDeclined;
import dev.bookingplatform.events.payment.PaymentDisputed;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentProcessing;
import dev.bookingplatform.events.payment.PaymentRefundFailed;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSessionCreated;
import dev.bookingplatform.events.payment.PaymentSucceeded;

/**
 * Every event of the saga with its topic and generated class. The {@link #typeName()} is what the
 * {@code eventType} header and the outbox's {@code event_type} column carry.
 */
public enum EventType {

    BOOKING_REQUESTED(Topics.BOOKING_EVENTS, BookingRequested.class),
    PAYMENT_REQUESTED(Topics.BOOKING_EVENTS, PaymentRequested.class),
    BOOKING_CONFIRMED(Topics.BOOKING_EVENTS, BookingConfirmed.class),
    BOOKING_REJECTED(Topics.BOOKING_EVENTS, BookingRejected.class),
    BOOKING_CANCELLED(Topics.BOOKING_EVENTS, BookingCancelled.class),
    BOOKING_CANCELLATION_REQUESTED(Topics.BOOKING_EVENTS, BookingCancellationRequested.class),
    BOOKING_PAID(Topics.BOOKING_EVENTS, BookingPaid.class),
    CUSTOMER_DATA_ERASED(Topics.BOOKING_EVENTS, CustomerDataErased.class),

    INVENTORY_RESERVED(Topics.INVENTORY_EVENTS, InventoryReserved.class),
    INVENTORY_REJECTED(Topics.INVENTORY_EVENTS, InventoryRejected.class),
    INVENTORY_HOLD_EXPIRED(Topics.INVENTORY_EVENTS, InventoryHoldExpired.class),
    RESOURCE_CHANGED(Topics.INVENTORY_EVENTS, ResourceChanged.class),
    HOLD_CONFIRMED(Topics.INVENTORY_EVENTS, HoldConfirmed.class),
    HOLD_LOST(Topics.INVENTORY_EVENTS, HoldLost.class),

    PAYMENT_SESSION_CREATED(Topics.PAYMENT_EVENTS, PaymentSessionCreated.class),
    PAYMENT_SUCCEEDED(Topics.PAYMENT_EVENTS, PaymentSucceeded.class),
    PAYMENT_FAILED(Topics.PAYMENT_EVENTS, PaymentFailed.class),
    PAYMENT_REFUNDED(Topics.PAYMENT_EVENTS, PaymentRefunded.class),
    PAYMENT_DECLINED(Topics.PAYMENT_EVENTS, PaymentDeclined.class),
    PAYMENT_PROCESSING(Topics.PAYMENT_EVENTS, PaymentProcessing.class),
    PAYMENT_REFUND_FAILED(Topics.PAYMENT_EVENTS, PaymentRefundFailed.class),
    PAYMENT_DISPUTED(Topics.PAYMENT_EVENTS, PaymentDisputed.class);

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));

    private final String topic;

    private final Class<? extends SpecificRecord> recordClass;

    EventType(String topic, Class<? extends SpecificRecord> recordClass) {
        this.topic = topic;
        this.recordClass = recordClass;
    }

    /** The short name used in headers and the outbox, e.g. {@code BookingRequested}. */
    public String typeName() {
        return recordClass.getSimpleName();
    }

    public String topic() {
        return topic;
    }

    public Class<? extends SpecificRecord> recordClass() {
        return recordClass;
    }

    public Schema schema() {
        return SpecificData.get().getSchema(recordClass);
    }

    /** @throws IllegalArgumentException naming the type if it is not an event of the saga */
    public static EventType byName(String typeName) {
        EventType type = BY_NAME.get(typeName);
        if (type == null) {
            throw new IllegalArgumentException("Unknown event type '" + typeName + "'; known: " + BY_NAME.keySet());
        }
        return type;
    }

    /** @throws IllegalArgumentException naming the class if it is not an event of the saga */
    public static EventType of(SpecificRecord event) {
        return of(event.getClass());
    }

    /** @throws IllegalArgumentException naming the class if it is not an event of the saga */
    public static EventType of(Class<? extends SpecificRecord> recordClass) {
        EventType type = BY_NAME.get(recordClass.getSimpleName());
        if (type == null || type.recordClass != recordClass) {
            throw new IllegalArgumentException(recordClass.getName() + " is not an event of the saga");
        }
        return type;
    }

    /** The {@code metadata} every event carries. */
    public static EventMetadata metadataOf(SpecificRecord event) {
        Schema.Field field = event.getSchema().getField("metadata");
        if (field == null || !(event.get(field.pos()) instanceof EventMetadata metadata)) {
            throw new IllegalArgumentException(event.getSchema().getFullName() + " carries no EventMetadata");
        }
        return metadata;
    }
}
