package dev.bookingplatform.events.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

import dev.bookingplatform.events.registry.SchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistryException;

/**
 * Reads a record in the Confluent wire format: fetches the writer's schema by the id in the frame and
 * resolves it against the reader's (by default the generated class of the same name), so records from
 * older and newer producers decode correctly. Every failure is a {@link SerializationException} naming
 * the topic and the schema id.
 */
public final class AvroEventDeserializer implements Deserializer<IndexedRecord> {

    static {
        TrustedEventClasses.install();
    }


    private final ReaderSchemas readerSchemas;

    private final Map<Integer, DatumReader<IndexedRecord>> readers = new ConcurrentHashMap<>();

    private @Nullable SchemaRegistryClient registry;

    public AvroEventDeserializer() {
        this.readerSchemas = ReaderSchemas.generatedClasses();
    }

    public AvroEventDeserializer(SchemaRegistryClient registry) {
        this(registry, ReaderSchemas.generatedClasses());
    }

    public AvroEventDeserializer(SchemaRegistryClient registry, ReaderSchemas readerSchemas) {
        this.registry = registry;
        this.readerSchemas = readerSchemas;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SerdeConfig.registryClient(configs);
        }
    }

    @Override
    public @Nullable IndexedRecord deserialize(String topic, byte @Nullable [] bytes) {
        if (bytes == null) {
            return null;
        }
        ConfluentWireFormat.Framed framed = ConfluentWireFormat.parse(bytes, "topic '" + topic + "'");
        DatumReader<IndexedRecord> reader = readerFor(framed.schemaId(), topic);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(framed.bytes(), framed.bodyOffset(), framed.bodyLength(), null);
        try {
            IndexedRecord event = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException("bytes left over after the record");
            }
            return event;
        }
        catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                | ClassCastException ex) {
            // Bytes that do not follow the writer schema surface as any of these, depending on where they diverge.
            throw new SerializationException("Record from topic '" + topic + "' does not match its writer schema (id "
                    + framed.schemaId() + "): " + ex, ex);
        }
    }

    private DatumReader<IndexedRecord> readerFor(int schemaId, String topic) {
        DatumReader<IndexedRecord> cached = readers.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = registry().schemaById(schemaId);
        }
        catch (SchemaRegistryException ex) {
            throw new SerializationException("Could not read record from topic '" + topic + "': " + ex.getMessage(), ex);
        }
        Schema reader = readerSchemas.readerFor(writer);
        if (reader == null) {
            throw new SerializationException("Record from topic '" + topic + "' is a " + writer.getFullName()
                    + " (schema id " + schemaId + "), a type this consumer does not know");
        }
        DatumReader<IndexedRecord> created = new SpecificDatumReader<>(writer, reader);
        DatumReader<IndexedRecord> raced = readers.putIfAbsent(schemaId, created);
        return raced != null ? raced : created;
    }

    private SchemaRegistryClient registry() {
        if (registry == null) {
            throw new IllegalStateException("AvroEventDeserializer used before configure(): set '"
                    + SerdeConfig.SCHEMA_REGISTRY_URL + "'");
        }
        return registry;
    }
}
