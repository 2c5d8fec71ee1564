package dev.bookingplatform.events;

/**
 * The Kafka topics of the saga. Each service's outbox routes by aggregate type, so everything one
 * service announces about its aggregate lands on one topic, keyed by booking id.
 */
public final class Topics {

    /** Written by booking-service. */
    public static final String BOOKING_EVENTS = "booking.events";

    /** Written by inventory-service. */
    public static final String INVENTORY_EVENTS = "inventory.events";

    /** Written by payment-service. */
    public static final String PAYMENT_EVENTS = "payment.events";

    private Topics() {
    }

    /** The dead-letter topic of {@code topic} for one consumer group: {@code <topic>.<group>.DLT}. */
    public static String deadLetterTopic(String topic, String consumerGroup) {
        return topic + "." + consumerGroup + ".DLT";
    }
}
