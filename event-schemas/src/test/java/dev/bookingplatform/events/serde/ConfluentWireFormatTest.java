package dev.bookingplatform.events.serde;

import org.junit.jupiter.api.Test;

import dev.bookingplatform.events.serde.ConfluentWireFormat.InvalidWireFormatException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConfluentWireFormatTest {

    @Test
    void framesWithMagicByteAndBigEndianSchemaId() {
        byte[] framed = ConfluentWireFormat.frame(0x01020304, new byte[] { 9, 8 });

        assertThat(framed).containsExactly(0, 1, 2, 3, 4, 9, 8);
        ConfluentWireFormat.Framed parsed = ConfluentWireFormat.parse(framed, "test");
        assertThat(parsed.schemaId()).isEqualTo(0x01020304);
        assertThat(parsed.bodyOffset()).isEqualTo(5);
        assertThat(parsed.bodyLength()).isEqualTo(2);
    }

    @Test
    void wrongMagicByteIsRefusedNamingTheOrigin() {
        assertThatExceptionOfType(InvalidWireFormatException.class)
                .isThrownBy(() -> ConfluentWireFormat.parse(new byte[] { 0x7b, 0, 0, 0, 1, 2 }, "topic 'booking.events'"))
                .withMessageContaining("topic 'booking.events'")
                .withMessageContaining("0x7b");
    }

    @Test
    void truncatedHeaderIsRefused() {
        assertThatExceptionOfType(InvalidWireFormatException.class)
                .isThrownBy(() -> ConfluentWireFormat.parse(new byte[] { 0, 0, 1 }, "topic 'payment.events'"))
                .withMessageContaining("3 bytes")
                .withMessageContaining("payment.events");
    }
}
