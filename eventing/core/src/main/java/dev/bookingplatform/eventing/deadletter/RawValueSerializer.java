package dev.bookingplatform.eventing.deadletter;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

import dev.bookingplatform.eventing.consumer.ReceivedEvent;

/**
 * Writes a dead letter's value as the bytes it arrived with: a decoded event's original bytes, or the
 * raw bytes spring-kafka kept from a record that could not be decoded. Never re-encodes.
 */
final class RawValueSerializer implements Serializer<Object> {

    @Override
    public byte @Nullable [] serialize(String topic, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof ReceivedEvent received) {
            return received.raw();
        }
        if (value instanceof byte[] raw) {
            return raw;
        }
        throw new SerializationException("Dead letter for '" + topic + "' has a " + value.getClass().getName()
                + " value; only original bytes may be written");
    }
}
