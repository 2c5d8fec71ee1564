package dev.bookingplatform.eventing.consumer;

import java.util.Map;

import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

import dev.bookingplatform.events.registry.SchemaRegistryClient;
import dev.bookingplatform.events.serde.AvroEventDeserializer;

/**
 * Decodes with {@link AvroEventDeserializer} and keeps the original bytes. Meant to be wrapped in
 * spring-kafka's {@code ErrorHandlingDeserializer}, which turns a decoding failure into a dead letter
 * carrying those bytes.
 */
public final class ReceivedEventDeserializer implements Deserializer<ReceivedEvent> {

    private final AvroEventDeserializer avro;

    public ReceivedEventDeserializer(SchemaRegistryClient registry) {
        this.avro = new AvroEventDeserializer(registry);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        avro.configure(configs, isKey);
    }

    @Override
    public @Nullable ReceivedEvent deserialize(String topic, byte @Nullable [] bytes) {
        if (bytes == null) {
            return null;
        }
        IndexedRecord event = avro.deserialize(topic, bytes);
        return new ReceivedEvent(bytes, event);
    }
}
