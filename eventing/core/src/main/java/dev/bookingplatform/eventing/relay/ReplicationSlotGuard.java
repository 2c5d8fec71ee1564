package dev.bookingplatform.eventing.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * Refuses to start the relay when its replication slot is gone but offsets say it published before.
 * Debezium would create a fresh slot and carry on from the current WAL position, silently skipping every
 * event written since the slot disappeared.
 */
final class ReplicationSlotGuard {

    private final RelaySettings settings;

    ReplicationSlotGuard(RelaySettings settings) {
        this.settings = settings;
    }

    /**
     * @throws ReplicationSlotMissingException if offsets exist and the slot does not
     */
    void check() {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
            boolean published = exists(connection, "SELECT 1 FROM relay_offset", null);
            boolean slotExists = exists(connection, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", settings.slotName());
            if (published && !slotExists) {
                throw new ReplicationSlotMissingException(settings.slotName(), settings.database());
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not check replication slot '" + settings.slotName()
                    + "' on database " + settings.database(), ex);
        }
    }

    private static boolean exists(Connection connection, String sql, @Nullable String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    /** The slot the relay published from has disappeared; events may be lost unless someone acts. */
    static final class ReplicationSlotMissingException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        ReplicationSlotMissingException(String slot, String database) {
            super("Replication slot '" + slot + "' of database " + database + " is missing although the relay has"
                    + " published from it before. Events written since it disappeared are not in the WAL stream any"
                    + " more; the relay will not start until an operator recreates the slot or resets relay_offset"
                    + " after re-publishing the outbox rows since the last published one.");
        }
    }
}
