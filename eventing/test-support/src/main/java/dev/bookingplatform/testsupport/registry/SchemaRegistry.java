package dev.bookingplatform.testsupport.registry;

/**
 * A running schema registry speaking the Confluent Schema Registry REST API at {@link #url()}.
 */
public interface SchemaRegistry extends AutoCloseable {

    /** Base URL of the Confluent-compatible API, e.g. {@code http://localhost:8081/apis/ccompat/v7}. */
    String url();

    @Override
    void close();
}
