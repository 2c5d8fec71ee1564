package dev.bookingplatform.eventing.outbox;

/**
 * How an outbox row's {@code aggregate_type} maps to its topic: the relay's Outbox Event Router routes
 * {@code booking} to {@code booking.events}. Both directions live here so they cannot drift apart.
 */
public final class OutboxRoutes {

    /** The router's {@code route.topic.replacement}. */
    public static final String TOPIC_REPLACEMENT = "${routedByValue}.events";

    private static final String SUFFIX = ".events";

    private OutboxRoutes() {
    }

    /** The topic the router sends a row of {@code aggregateType} to. */
    public static String topicOf(String aggregateType) {
        return TOPIC_REPLACEMENT.replace("${routedByValue}", aggregateType);
    }

    public static String aggregateTypeOf(String topic) {
        if (!topic.endsWith(SUFFIX) || topic.length() == SUFFIX.length()) {
            throw new IllegalArgumentException("Topic '" + topic + "' does not follow the '<aggregate>" + SUFFIX
                    + "' naming the outbox router relies on");
        }
        return topic.substring(0, topic.length() - SUFFIX.length());
    }
}
