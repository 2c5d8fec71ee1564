package dev.bookingplatform.events.serde;

import java.util.HashMap;
import java.util.Map;

import org.apache.avro.Schema;

import dev.bookingplatform.events.registry.CompatibilityLevel;
import dev.bookingplatform.events.registry.SchemaRegistryClient;

/** An in-memory registry handing out ids from a fixed start, for byte-exact tests. */
final class FixedIdRegistry implements SchemaRegistryClient {

    private final Map<Schema, Integer> ids = new HashMap<>();

    private final Map<Integer, Schema> schemas = new HashMap<>();

    private int nextId;

    FixedIdRegistry(int firstId) {
        this.nextId = firstId;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        return ids.computeIfAbsent(schema, key -> {
            schemas.put(nextId, key);
            return nextId++;
        });
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new IllegalArgumentException("no schema " + id);
        }
        return schema;
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
    }
}
