package dev.bookingplatform.events.registry;

/** The Confluent Schema Registry compatibility rules a subject can enforce. */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
}
