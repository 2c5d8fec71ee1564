package dev.bookingplatform.testsupport.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL 17 from zonky's binaries on Maven Central, run as a child process of this JVM.
 *
 * <p>Configured for Debezium's logical decoding ({@code wal_level=logical}, room for slots and WAL
 * senders). Durability settings stay at PostgreSQL's defaults ({@code fsync}, {@code synchronous_commit}
 * on), which zonky would otherwise turn off: crash tests must see what a real server would keep.
 */
public final class EmbeddedPostgresServer implements PostgresServer {

    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a server on a free port with a fresh data directory, deleted when it stops. */
    public static EmbeddedPostgresServer start() {
        return start(EmbeddedPostgres.builder());
    }

    /**
     * Starts a server on {@code port} (0: any free one) keeping its data in {@code dataDirectory} across
     * restarts. Only {@link #close()} stops it, not the JVM's exit, so its owner can stop it after the
     * services that still use it.
     */
    public static EmbeddedPostgresServer start(int port, Path dataDirectory) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false);
        if (port > 0) {
            builder.setPort(port);
        }
        return start(builder);
    }

    /**
     * A server that also listens on {@code address} (an address of this machine) and lets in clients of
     * {@code trustedNetwork} (CIDR) without a password, as it does local ones: for clients in a network namespace.
     */
    public static EmbeddedPostgresServer startListeningAlsoOn(String address, String trustedNetwork) {
        try {
            Path hba = Files.createTempFile("pg_hba-", ".conf");
            hba.toFile().deleteOnExit();
            Files.writeString(hba, String.join("\n",
                    "local all all trust",
                    "host all all 127.0.0.1/32 trust",
                    "host all all ::1/128 trust",
                    "host all all " + trustedNetwork + " trust",
                    "local replication all trust",
                    "host replication all 127.0.0.1/32 trust",
                    "host replication all " + trustedNetwork + " trust", ""));
            return start(EmbeddedPostgres.builder(), "localhost," + address, hba);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not write a pg_hba.conf for embedded PostgreSQL", ex);
        }
    }

    private static EmbeddedPostgresServer start(EmbeddedPostgres.Builder builder) {
        return start(builder, "localhost", null);
    }

    private static EmbeddedPostgresServer start(EmbeddedPostgres.Builder builder, String listenAddresses,
            @Nullable Path hbaFile) {
        if (hbaFile != null) {
            builder.setServerConfig("hba_file", hbaFile.toString());
        }
        builder.setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "40")
                .setServerConfig("max_wal_senders", "40")
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("listen_addresses", listenAddresses)
                .setPGStartupWait(Duration.ofSeconds(60));
        try {
            return new EmbeddedPostgresServer(builder.start());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start", ex);
        }
    }

    @Override
    public PostgresDatabase createDatabase(String namePrefix) {
        return create(DatabaseNames.unique(namePrefix), false);
    }

    /**
     * The database called {@code name}, created on first use: a server that keeps its data directory
     * across restarts hands back the same database each time.
     */
    public PostgresDatabase databaseNamed(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Not a plain lower-case database name: " + name);
        }
        return create(name, true);
    }

    private PostgresDatabase create(String name, boolean unlessItExists) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            boolean exists = false;
            if (unlessItExists) {
                try (var rows = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                    exists = rows.next();
                }
            }
            if (!exists) {
                statement.execute("CREATE DATABASE " + name);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not create database " + name + " on embedded PostgreSQL", ex);
        }
        return new PostgresDatabase(host(), port(), name, SUPERUSER, "");
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Embedded PostgreSQL did not stop cleanly", ex);
        }
    }
}
