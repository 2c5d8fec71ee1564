package dev.bookingplatform.events.registry;

import org.apache.avro.Schema;

/**
 * What the serde needs of a schema registry: register a schema under a subject and get its id, and
 * fetch a schema by id. Implementations cache both, so a running producer or consumer asks the registry
 * once per schema.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (a no-op in the registry if it is already there) and
     * returns its global id.
     *
     * @throws SchemaRegistryException naming the subject, e.g. if the schema breaks the subject's
     *         compatibility rule or the registry does not answer
     */
    int register(String subject, Schema schema);

    /**
     * The schema registered under {@code id}.
     *
     * @throws SchemaRegistryException naming the id if the registry does not know it or does not answer
     */
    Schema schemaById(int id);

    /** Sets the compatibility rule the registry enforces when new versions are registered under {@code subject}. */
    void setCompatibility(String subject, CompatibilityLevel level);
}
