package dev.bookingplatform.eventing.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes exactly one replica of a service run the relay: a PostgreSQL session-level advisory lock held on one
 * long-lived connection (a standby retries on the same connection, not a new one every check). If the holder
 * dies, PostgreSQL ends its session and frees the lock, and another replica's next {@link #tryAcquire()} wins.
 *
 * <p>The lock alone cannot stop a zombie (a leader that lost its session but not its engine), so each
 * acquisition raises the leader's term in {@code relay_leader}; offset writes carry it and the producer is
 * fenced by the broker (see {@link KafkaPublisher}).
 */
final class RelayLeaderLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayLeaderLock.class);

    /** Arbitrary but fixed: "outbox relay" per database. Other advisory locks must not use it. */
    static final long LOCK_KEY = 0x6f7574626f78L;

    /** How often a previous leader's walsender is signalled, each time waiting {@link #WALSENDER_EXIT_WAIT}. */
    private static final int WALSENDER_TERMINATION_ATTEMPTS = 5;

    private static final Duration WALSENDER_EXIT_WAIT = Duration.ofSeconds(1);

    private final RelaySettings settings;

    private @Nullable Connection connection;

    private boolean held;

    private long term;

    private @Nullable String lastError;

    RelayLeaderLock(RelaySettings settings) {
        this.settings = settings;
    }

    /** What a try at the lock found. */
    enum Attempt {
        /** This replica leads (now, or already did). */
        ACQUIRED,
        /** Another replica holds the lock. */
        HELD_ELSEWHERE,
        /** The database could not be asked: no one can tell who leads. */
        UNREACHABLE
    }

    /** Acquires the lock (and a new term) if it is free; tells apart "another leads" from "could not ask". */
    synchronized Attempt tryAcquire() {
        if (isHeld()) {
            return Attempt.ACQUIRED;
        }
        try {
            Connection session = session();
            try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                try (ResultSet result = lock.executeQuery()) {
                    if (!(result.next() && result.getBoolean(1))) {
                        return Attempt.HELD_ELSEWHERE;
                    }
                }
            }
            term = raiseTerm(session);
            held = true;
            lastError = null;
            log.info("Relay leadership acquired for database {} (term {})", settings.database(), term);
            return Attempt.ACQUIRED;
        }
        catch (SQLException ex) {
            lastError = "Could not try the relay lock on database " + settings.database() + ": " + ex.getMessage();
            log.warn(lastError);
            closeQuietly();
            return Attempt.UNREACHABLE;
        }
    }

    /** Why the last {@link #tryAcquire()} was {@link Attempt#UNREACHABLE}. */
    synchronized @Nullable String lastError() {
        return lastError;
    }

    /**
     * True if this replica still holds the lock and its term is still the newest: checked after anything that
     * may take long (starting a producer, which fences every other one, or a re-publish), so a replica that lost
     * the lock meanwhile stops instead of publishing over the real leader.
     */
    synchronized boolean stillLeads() {
        if (!isHeld() || connection == null) {
            return false;
        }
        try (PreparedStatement current = connection.prepareStatement("SELECT term FROM relay_leader WHERE id = 1");
                ResultSet result = current.executeQuery()) {
            return result.next() && result.getLong(1) == term;
        }
        catch (SQLException ex) {
            closeQuietly();
            return false;
        }
    }

    /** The term this replica leads in; only meaningful while {@link #isHeld()}. */
    synchronized long term() {
        return term;
    }

    /** True while the lock's session is alive; a dead session means PostgreSQL freed the lock. */
    synchronized boolean isHeld() {
        if (!held || connection == null) {
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

    /**
     * Ends the replication connection of a previous leader still attached to the slot, so this leader's engine
     * can take the slot now instead of waiting for the zombie's stream to break.
     *
     * <p>One signal is not always enough. A walsender whose peer vanished in a network partition is blocked on a
     * full socket; the first {@code pg_terminate_backend} sends it into writing its "terminating connection" message
     * to that same socket, where it stays (wait event {@code ClientWrite}) until TCP gives up, minutes later, and
     * the slot stays active. The next signal ends it ({@code RelayPartitionIT} saw both). So: signal, wait up to a
     * second for it to exit, and again while the slot is still held. Needs PostgreSQL 14 or later (this form of
     * pg_terminate_backend).
     */
    synchronized void terminateOtherWalsender() {
        if (!held || connection == null) {
            return;
        }
        for (int attempt = 1; attempt <= WALSENDER_TERMINATION_ATTEMPTS; attempt++) {
            try {
                Signalled signalled = signalOtherWalsender(connection);
                if (signalled == null) {
                    return;
                }
                log.warn("Relay of {} (term {}) ended the previous leader's replication connection (pid {}) on slot {}{}",
                        settings.database(), term, signalled.pid(), settings.slotName(),
                        signalled.exited() ? "" : "; it has not exited yet");
                if (signalled.exited()) {
                    return;
                }
            }
            catch (SQLException ex) {
                // A statement timeout shorter than the wait, say: the next attempt signals again.
                log.warn("Could not end the previous leader's replication connection on slot {} (attempt {}): {}",
                        settings.slotName(), attempt, ex.getMessage());
            }
        }
        log.warn("The previous leader's replication connection may still hold slot {} after {} signals; the engine's"
                + " slot retries wait for it", settings.slotName(), WALSENDER_TERMINATION_ATTEMPTS);
    }

    /** A signal sent to a walsender, and whether it exited within the wait. */
    private record Signalled(int pid, boolean exited) {
    }

    /**
     * Signals whichever other backend holds the slot now and waits for it to exit, in one statement: the pid is never
     * read in one round trip and signalled in another, by when it could belong to someone else.
     */
    private @Nullable Signalled signalOtherWalsender(Connection session) throws SQLException {
        try (PreparedStatement terminate = session.prepareStatement("""
                SELECT active_pid, pg_terminate_backend(active_pid, ?) FROM pg_replication_slots
                WHERE slot_name = ? AND active_pid IS NOT NULL AND active_pid <> pg_backend_pid()""")) {
            terminate.setLong(1, WALSENDER_EXIT_WAIT.toMillis());
            terminate.setString(2, settings.slotName());
            try (ResultSet result = terminate.executeQuery()) {
                return result.next() ? new Signalled(result.getInt(1), result.getBoolean(2)) : null;
            }
        }
    }

    /** Gives leadership up (a failed leader does, so a healthy standby can take over), keeping the session. */
    synchronized void release() {
        if (!held || connection == null) {
            return;
        }
        held = false;
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, LOCK_KEY);
            unlock.execute();
            log.info("Relay leadership of database {} released (term {})", settings.database(), term);
        }
        catch (SQLException ex) {
            closeQuietly();
        }
    }

    /** The backend pid of the lock's connection, for tests and diagnostics; -1 if not held. */
    synchronized int backendPid() {
        if (!held || connection == null) {
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

    private Connection session() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = RelayConnections.open(settings);
        }
        return connection;
    }

    private long raiseTerm(Connection session) throws SQLException {
        try (PreparedStatement raise = session.prepareStatement(
                "UPDATE relay_leader SET term = term + 1, holder = ?, since = now() WHERE id = 1 RETURNING term")) {
            raise.setString(1, RelayIdentity.current());
            try (ResultSet result = raise.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private void closeQuietly() {
        held = false;
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
