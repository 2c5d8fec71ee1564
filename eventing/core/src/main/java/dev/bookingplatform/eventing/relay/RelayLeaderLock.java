package dev.bookingplatform.eventing.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes exactly one replica of a service run the relay: a PostgreSQL session-level advisory lock held on
 * a dedicated connection. If the holder dies, PostgreSQL ends its session and frees the lock, and
 * another replica's next {@link #tryAcquire()} wins.
 */
final class RelayLeaderLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayLeaderLock.class);

    /** Arbitrary but fixed: "outbox relay" per database. Other advisory locks must not use it. */
    static final long LOCK_KEY = 0x6f7574626f78L;

    private final RelaySettings settings;

    private @Nullable Connection connection;

    RelayLeaderLock(RelaySettings settings) {
        this.settings = settings;
    }

    /** True if this replica holds the lock now, acquiring it if it is free. */
    synchronized boolean tryAcquire() {
        if (isHeld()) {
            return true;
        }
        try {
            Connection fresh = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
            try (PreparedStatement lock = fresh.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                try (ResultSet result = lock.executeQuery()) {
                    if (result.next() && result.getBoolean(1)) {
                        connection = fresh;
                        log.info("Relay leadership acquired for database {}", settings.database());
                        return true;
                    }
                }
            }
            fresh.close();
            return false;
        }
        catch (SQLException ex) {
            log.warn("Could not try the relay lock on database {}: {}", settings.database(), ex.getMessage());
            return false;
        }
    }

    /** True while the lock's connection is alive; a dead connection means PostgreSQL freed the lock. */
    synchronized boolean isHeld() {
        if (connection == null) {
            return false;
        }
        try (PreparedStatement ping = connection.prepareStatement("SELECT 1")) {
            ping.setQueryTimeout(5);
            ping.execute();
            return true;
        }
        catch (SQLException ex) {
            log.warn("Relay lock connection to database {} is gone ({}); leadership lost", settings.database(),
                    ex.getMessage());
            closeQuietly();
            return false;
        }
    }

    /** The backend pid of the lock's connection, for tests and diagnostics; -1 if not held. */
    synchronized int backendPid() {
        if (connection == null) {
            return -1;
        }
        try (PreparedStatement pid = connection.prepareStatement("SELECT pg_backend_pid()");
                ResultSet result = pid.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
        catch (SQLException ex) {
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException ex) {
                log.debug("Closing the relay lock connection failed", ex);
            }
            connection = null;
        }
    }
}
