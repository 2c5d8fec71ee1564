package dev.bookingplatform.testsupport.postgres;

/**
 * A running PostgreSQL server with {@code wal_level=logical}, able to hand out fresh databases so tests
 * never see each other's rows, slots or publications.
 */
public interface PostgresServer extends AutoCloseable {

    /** Creates a new, empty database whose name starts with {@code namePrefix}. */
    PostgresDatabase createDatabase(String namePrefix);

    String host();

    int port();

    @Override
    void close();
}
