package dev.bookingplatform.eventing.autoconfigure;

import java.net.URI;

/** The parts of a {@code jdbc:postgresql://host:port/database?...} URL the relay needs. */
record PostgresJdbcUrl(String host, int port, String database) {

    static PostgresJdbcUrl parse(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("The outbox relay needs a PostgreSQL JDBC URL"
                    + " (jdbc:postgresql://host:port/database), not '" + jdbcUrl + "'");
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = uri.getPath();
        if (uri.getHost() == null || path == null || path.length() < 2) {
            throw new IllegalArgumentException("No host or database in '" + jdbcUrl + "'");
        }
        return new PostgresJdbcUrl(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, path.substring(1));
    }
}
