package dev.bookingplatform.events.serde;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing of an Avro record: magic byte {@code 0}, the writer schema's registry id as four
 * big-endian bytes, then the Avro binary body. Any Confluent-compatible consumer reads it with only the
 * registry URL.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;

    public static final int HEADER_LENGTH = 5;

    private ConfluentWireFormat() {
    }

    /** Prefixes {@code avroBody} with the magic byte and {@code schemaId}. */
    public static byte[] frame(int schemaId, byte[] avroBody) {
        return ByteBuffer.allocate(HEADER_LENGTH + avroBody.length)
                .put(MAGIC_BYTE)
                .putInt(schemaId)
                .put(avroBody)
                .array();
    }

    /**
     * Splits framed bytes into schema id and body.
     *
     * @param origin where the bytes came from (e.g. a topic), for the error message
     * @throws InvalidWireFormatException if the bytes are too short or the magic byte is not 0
     */
    public static Framed parse(byte[] bytes, String origin) {
        if (bytes.length < HEADER_LENGTH) {
            throw new InvalidWireFormatException("Record from " + origin + " has " + bytes.length
                    + " bytes, fewer than the " + HEADER_LENGTH + "-byte Confluent wire-format header");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new InvalidWireFormatException(String.format(
                    "Record from %s starts with byte 0x%02x, not the Confluent wire-format magic byte 0x00",
                    origin, bytes[0]));
        }
        int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
        return new Framed(schemaId, bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
    }

    /** The schema id and where the Avro body sits in the original array (no copy). */
    public record Framed(int schemaId, byte[] bytes, int bodyOffset, int bodyLength) {
    }

    /** The bytes are not in the Confluent wire format; retrying will not help. */
    public static final class InvalidWireFormatException extends SerializationException {

        private static final long serialVersionUID = 1L;

        InvalidWireFormatException(String message) {
            super(message);
        }
    }
}
