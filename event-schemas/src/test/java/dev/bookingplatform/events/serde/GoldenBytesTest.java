package dev.bookingplatform.events.serde;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import dev.bookingplatform.events.SampleEvents;
import dev.bookingplatform.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fixed event must serialize to the checked-in bytes: framing, schema id and Avro body. If this fails,
 * the wire format changed and every consumer in the field would notice. Regenerate only on purpose, with
 * {@code -Dgolden.update=true}.
 */
class GoldenBytesTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/BookingRequested.v2.hex");

    private static final int SCHEMA_ID = 42;

    @Test
    void bookingRequestedSerializesToTheGoldenBytes() throws IOException {
        byte[] actual = new AvroEventSerializer(new FixedIdRegistry(SCHEMA_ID))
                .serialize(Topics.BOOKING_EVENTS, SampleEvents.bookingRequested());
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, HexFormat.of().formatHex(actual) + "\n");
        }

        String expected = Files.readString(GOLDEN).strip();

        assertThat(HexFormat.of().formatHex(actual)).isEqualTo(expected);
        assertThat(actual[0]).isZero();
        assertThat(actual).startsWith(0, 0, 0, 0, SCHEMA_ID);
    }

    @Test
    void goldenBytesDecodeToTheFixedEvent() throws IOException {
        FixedIdRegistry registry = new FixedIdRegistry(SCHEMA_ID);
        registry.register("any", SampleEvents.bookingRequested().getSchema());
        byte[] golden = HexFormat.of().parseHex(Files.readString(GOLDEN).strip());

        assertThat(new AvroEventDeserializer(registry).deserialize(Topics.BOOKING_EVENTS, golden))
                .isEqualTo(SampleEvents.bookingRequested());
    }
}
