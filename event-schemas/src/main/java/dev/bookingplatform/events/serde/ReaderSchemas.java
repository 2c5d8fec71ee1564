package dev.bookingplatform.events.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the schema a consumer reads with, given the schema a producer wrote with. Avro resolves the
 * two, so an older or newer producer's record still reads correctly.
 */
@FunctionalInterface
public interface ReaderSchemas {

    /** The reader schema for {@code writerSchema}, or null if this consumer has no type for it. */
    @Nullable
    Schema readerFor(Schema writerSchema);

    /** Reads into the generated class of the same full name, as compiled into this build. */
    static ReaderSchemas generatedClasses() {
        return writer -> {
            Class<?> type = SpecificData.get().getClass(writer);
            return type == null ? null : SpecificData.get().getSchema(type);
        };
    }
}
