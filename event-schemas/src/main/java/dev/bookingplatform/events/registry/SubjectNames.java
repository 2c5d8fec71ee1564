package dev.bookingplatform.events.registry;

import org.apache.avro.Schema;

/**
 * Confluent's TopicRecordNameStrategy: one subject per topic and record type, so a topic can carry
 * several event types, each evolving on its own.
 */
public final class SubjectNames {

    private SubjectNames() {
    }

    /** {@code <topic>-<record full name>}, e.g. {@code booking.events-dev.bookingplatform.events.booking.BookingRequested}. */
    public static String topicRecordName(String topic, Schema schema) {
        return topic + "-" + schema.getFullName();
    }
}
