package dev.bookingplatform.events.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.events.EventType;
import dev.bookingplatform.events.SampleEvents;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.evolution.SchemaHistory;
import dev.bookingplatform.events.registry.CompatibilityLevel;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistryException;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.registry.SubjectNames;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The serde against a real registry: Apicurio's Confluent-compatible API, or Confluent's on containers. */
@RealInfrastructure
@Timeout(120)
class AvroSerdeIT {

    private static final SchemaHistory HISTORY = SchemaHistory.load(Path.of("src/main/avro-history"));

    private static SchemaRegistryClient registry;

    private static AvroEventSerializer serializer;

    private static AvroEventDeserializer deserializer;

    @BeforeAll
    static void connect(SchemaRegistry running) {
        registry = new RestSchemaRegistryClient(SchemaRegistrySettings.of(running.url()));
        serializer = new AvroEventSerializer(registry);
        deserializer = new AvroEventDeserializer(registry);
    }

    @Test
    void everyEventTypeRoundTrips() {
        for (SpecificRecord event : SampleEvents.everyType()) {
            String topic = EventType.of(event).topic();

            byte[] bytes = serializer.serialize(topic, event);

            assertThat(bytes[0]).as("magic byte").isZero();
            assertThat(deserializer.deserialize(topic, bytes)).as(event.getSchema().getName()).isEqualTo(event);
        }
    }

    @Test
    void schemaIsRegisteredUnderTheTopicRecordNameSubject() {
        BookingRequested event = SampleEvents.bookingRequested();
        byte[] bytes = serializer.serialize(Topics.BOOKING_EVENTS, event);

        int idInFrame = ConfluentWireFormat.parse(bytes, "test").schemaId();
        int idOfSubject = new RestSchemaRegistryClient(SchemaRegistrySettings.of(registryUrl()))
                .register(SubjectNames.topicRecordName(Topics.BOOKING_EVENTS, event.getSchema()), event.getSchema());

        assertThat(idInFrame).isEqualTo(idOfSubject);
        assertThat(registry.schemaById(idInFrame)).isEqualTo(event.getSchema());
    }

    @Test
    void recordWrittenWithTheOlderSchemaIsReadByTheNewerReader() throws IOException {
        Schema v1 = bookingRequested(1);
        GenericRecord old = asGeneric(SampleEvents.bookingRequested(), v1);
        String topic = "evolution-old-writer";

        byte[] bytes = serializer.serialize(topic, old);
        IndexedRecord read = deserializer.deserialize(topic, bytes);

        assertThat(read).isInstanceOf(BookingRequested.class);
        BookingRequested event = (BookingRequested) read;
        assertThat(event.getCustomerLocale()).as("default of the field v1 lacks").isNull();
        assertThat(event.getBookingId()).isEqualTo(SampleEvents.BOOKING_ID);
        assertThat(event.getAddOns()).isEqualTo(SampleEvents.bookingRequested().getAddOns());
    }

    @Test
    void recordWrittenWithTheNewerSchemaIsReadByAnOlderReader() {
        Schema v1 = bookingRequested(1);
        AvroEventDeserializer olderConsumer = new AvroEventDeserializer(registry, writer -> v1);
        BookingRequested written = SampleEvents.bookingRequested();
        assertThat(written.getCustomerLocale()).isNotNull();

        IndexedRecord read = olderConsumer.deserialize(Topics.BOOKING_EVENTS,
                serializer.serialize(Topics.BOOKING_EVENTS, written));

        // The v1 reader skips the field it does not know; everything else arrives intact.
        GenericRecord record = (GenericRecord) read;
        assertThat(record.get("customerLocale")).isNull();
        assertThat(record.get("customerEmail")).hasToString("ada@example.com");
        assertThat(record.get("quantity")).isEqualTo(2);
        assertThat(record.get("bookingId")).isEqualTo(SampleEvents.BOOKING_ID);
    }

    @Test
    void registryEnforcesFullTransitiveCompatibilityOnTheSubject() {
        String topic = "evolution-rule";
        Schema v1 = bookingRequested(1);
        String subject = SubjectNames.topicRecordName(topic, v1);
        registry.register(subject, v1);
        registry.setCompatibility(subject, CompatibilityLevel.FULL_TRANSITIVE);

        assertThat(registry.register(subject, bookingRequested(2))).as("compatible v2 registers").isPositive();

        Schema incompatible = new Schema.Parser().parse(v1.toString()
                .replace("\"name\":\"quantity\",\"type\":\"int\"", "\"name\":\"quantity\",\"type\":\"string\""));
        assertThatExceptionOfType(SchemaRegistryException.class)
                .isThrownBy(() -> registry.register(subject, incompatible))
                .withMessageContaining(subject)
                .satisfies(ex -> assertThat(ex.isTransient()).isFalse());
    }

    @Test
    void unknownSchemaIdIsAClearError() {
        byte[] framed = ConfluentWireFormat.frame(987_654, new byte[] { 2, 4 });

        assertThatExceptionOfType(SerializationException.class)
                .isThrownBy(() -> deserializer.deserialize(Topics.PAYMENT_EVENTS, framed))
                .withMessageContaining("payment.events")
                .withMessageContaining("987654")
                .withCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void truncatedRecordIsAClearError() {
        byte[] bytes = serializer.serialize(Topics.BOOKING_EVENTS, SampleEvents.bookingRequested());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 10);
        int schemaId = ConfluentWireFormat.parse(bytes, "test").schemaId();

        assertThatExceptionOfType(SerializationException.class)
                .isThrownBy(() -> deserializer.deserialize(Topics.BOOKING_EVENTS, truncated))
                .withMessageContaining("booking.events")
                .withMessageContaining("does not match its writer schema (id " + schemaId + ")");
    }

    @Test
    void payloadOfAnotherTypeUnderAnExistingSchemaIdIsAClearError() {
        byte[] booking = serializer.serialize(Topics.BOOKING_EVENTS, SampleEvents.bookingRequested());
        byte[] refund = serializer.serialize(Topics.PAYMENT_EVENTS, SampleEvents.everyType().get(12));
        byte[] mismatched = ConfluentWireFormat.frame(ConfluentWireFormat.parse(booking, "test").schemaId(),
                Arrays.copyOfRange(refund, ConfluentWireFormat.HEADER_LENGTH, refund.length));

        assertThatExceptionOfType(SerializationException.class)
                .isThrownBy(() -> deserializer.deserialize(Topics.BOOKING_EVENTS, mismatched))
                .withMessageContaining("booking.events")
                .withMessageContaining("does not match its writer schema");
    }

    @Test
    void wrongMagicByteIsAClearError() {
        byte[] json = "{\"bookingId\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatExceptionOfType(ConfluentWireFormat.InvalidWireFormatException.class)
                .isThrownBy(() -> deserializer.deserialize(Topics.BOOKING_EVENTS, json))
                .withMessageContaining("booking.events")
                .withMessageContaining("magic byte");
    }

    @Test
    void eventThatDoesNotMatchItsSchemaIsRefusedNamingTopicAndSubject() {
        var rejected = (dev.bookingplatform.events.booking.BookingRejected) SampleEvents.everyType().get(3);
        rejected.put("reason", null);

        assertThatExceptionOfType(SerializationException.class)
                .isThrownBy(() -> serializer.serialize(Topics.BOOKING_EVENTS, rejected))
                .withMessageContaining("booking.events")
                .withMessageContaining("booking.events-dev.bookingplatform.events.booking.BookingRejected")
                .withMessageContaining("does not match its schema");
    }

    @Test
    void recordTypeWithoutAClassIsAClearError() {
        Schema unknown = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"BookingTeleported\",\"namespace\":\"dev.bookingplatform.events.booking\","
                        + "\"fields\":[{\"name\":\"where\",\"type\":\"string\"}]}");
        GenericRecord record = new GenericData.Record(unknown);
        record.put("where", "moon");
        byte[] bytes = serializer.serialize(Topics.BOOKING_EVENTS, record);

        assertThatExceptionOfType(SerializationException.class)
                .isThrownBy(() -> deserializer.deserialize(Topics.BOOKING_EVENTS, bytes))
                .withMessageContaining("BookingTeleported")
                .withMessageContaining("does not know");
    }

    private static Schema bookingRequested(int version) {
        return HISTORY.versionsOf(BookingRequested.getClassSchema().getFullName()).get(version);
    }

    /** Re-encodes {@code event} as a generic record of {@code schema}, as a producer built on it would. */
    private static GenericRecord asGeneric(SpecificRecord event, Schema schema) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<SpecificRecord>(event.getSchema()).write(event, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(event.getSchema(), schema)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static String registryUrl() {
        return dev.bookingplatform.testsupport.Infrastructure.registry().url();
    }

}
