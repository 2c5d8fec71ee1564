package dev.bookingplatform.events.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

import dev.bookingplatform.events.registry.SchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistryException;
import dev.bookingplatform.events.registry.SubjectNames;

/**
 * Writes an Avro record in the Confluent wire format, registering its schema under the
 * TopicRecordNameStrategy subject of the target topic. Works for generated classes and for generic
 * records alike.
 *
 * <p>Kafka creates it with the no-argument constructor and calls {@link #configure}; code that already
 * has a {@link SchemaRegistryClient} passes it to the constructor.
 */
public final class AvroEventSerializer implements Serializer<IndexedRecord> {

    static {
        TrustedEventClasses.install();
    }


    private final Map<Schema, DatumWriter<IndexedRecord>> writers = new ConcurrentHashMap<>();

    private @Nullable SchemaRegistryClient registry;

    public AvroEventSerializer() {
    }

    public AvroEventSerializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SerdeConfig.registryClient(configs);
        }
    }

    @Override
    public byte @Nullable [] serialize(String topic, @Nullable IndexedRecord event) {
        if (event == null) {
            return null;
        }
        Schema schema = event.getSchema();
        String subject = SubjectNames.topicRecordName(topic, schema);
        int schemaId;
        try {
            schemaId = registry().register(subject, schema);
        }
        catch (SchemaRegistryException ex) {
            throw new SerializationException("Could not serialize " + schema.getFullName() + " for topic '" + topic
                    + "': " + ex.getMessage(), ex);
        }
        return ConfluentWireFormat.frame(schemaId, body(event, topic, subject));
    }

    private byte[] body(IndexedRecord event, String topic, String subject) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.computeIfAbsent(event.getSchema(), SpecificDatumWriter::new).write(event, encoder);
            encoder.flush();
        }
        catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException ex) {
            // Avro reports a missing required value as an NPE and a wrong type as a ClassCastException.
            throw new SerializationException(event.getSchema().getFullName() + " for topic '" + topic
                    + "' (subject '" + subject + "') does not match its schema: " + ex.getMessage(), ex);
        }
        return out.toByteArray();
    }

    private SchemaRegistryClient registry() {
        if (registry == null) {
            throw new IllegalStateException("AvroEventSerializer used before configure(): set '"
                    + SerdeConfig.SCHEMA_REGISTRY_URL + "'");
        }
        return registry;
    }
}
