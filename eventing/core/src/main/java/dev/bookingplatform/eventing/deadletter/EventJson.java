package dev.bookingplatform.eventing.deadletter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.jspecify.annotations.Nullable;

/**
 * A decoded event as plain maps, lists, strings and numbers, which any JSON writer renders: field names as in
 * the schema, times and ids as their ISO/text form, bytes as base64.
 */
public final class EventJson {

    private EventJson() {
    }

    public static Map<String, @Nullable Object> of(IndexedRecord record) {
        Map<String, @Nullable Object> fields = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            fields.put(field.name(), value(record.get(field.pos())));
        }
        return fields;
    }

    private static @Nullable Object value(@Nullable Object datum) {
        if (datum == null || datum instanceof Boolean || datum instanceof Number) {
            return datum;
        }
        if (datum instanceof IndexedRecord record) {
            return of(record);
        }
        if (datum instanceof Collection<?> items) {
            List<@Nullable Object> values = new ArrayList<>();
            items.forEach(item -> values.add(value(item)));
            return values;
        }
        if (datum instanceof Map<?, ?> map) {
            Map<String, @Nullable Object> values = new LinkedHashMap<>();
            map.forEach((key, item) -> values.put(String.valueOf(key), value(item)));
            return values;
        }
        if (datum instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (datum instanceof GenericFixed fixed) {
            return Base64.getEncoder().encodeToString(fixed.bytes());
        }
        return datum.toString();
    }
}
