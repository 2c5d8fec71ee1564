package dev.bookingplatform.testsupport.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** PostgreSQL 17 on Testcontainers, with the same logical-decoding settings as the embedded server. */
public final class ContainerPostgresServer implements PostgresServer {

    private static final DockerImageName IMAGE = DockerImageName.parse("postgres:17-alpine");

    private final PostgreSQLContainer container;

    private ContainerPostgresServer(PostgreSQLContainer container) {
        this.container = container;
    }

    public static ContainerPostgresServer start() {
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE)
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=40",
                        "-c", "max_wal_senders=40", "-c", "max_connections=300");
        container.start();
        return new ContainerPostgresServer(container);
    }

    @Override
    public PostgresDatabase createDatabase(String namePrefix) {
        String name = DatabaseNames.unique(namePrefix);
        try (Connection connection = DriverManager.getConnection(container.getJdbcUrl(), container.getUsername(),
                container.getPassword()); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not create database " + name + " in the PostgreSQL container", ex);
        }
        return new PostgresDatabase(host(), port(), name, container.getUsername(), container.getPassword());
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public void close() {
        container.stop();
    }
}
